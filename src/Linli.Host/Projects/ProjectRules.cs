using Linli.Calendar;
using Linli.Hosting;

namespace Linli.Projects;

/// <summary>How the project services read what a request says, and refuse what it cannot say.</summary>
internal static class ProjectRules
{
    public const decimal MaxAmount = 100_000_000m;

    public static decimal Money(decimal? amount, string field) =>
        amount is { } a && a > 0 && a <= MaxAmount && decimal.Round(a, 2) == a
            ? decimal.Round(a, 2)
            : throw Invalid(field, "projects.bad_money", new { max = MaxAmount });

    public static string? Text(string? text, string field, int max, bool required = true)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return required ? throw Invalid(field, "projects.text_required") : null;
        return trimmed.Length <= max ? trimmed : throw Invalid(field, "projects.text_too_long", new { max });
    }

    /// <summary>The date given, or today; never a day still to come (China time).</summary>
    public static DateOnly Date(DateOnly? date, TimeProvider time) =>
        date is not { } d ? ChinaTime.Today(time)
        : d <= ChinaTime.Today(time) ? d
        : throw Invalid("date", "projects.date_to_come");

    /// <summary>A member by its name alone (<see cref="EnumNames"/>), refused as "Invalid {field}".</summary>
    public static T Parse<T>(string? text, string field, string key) where T : struct, Enum =>
        EnumNames.Parse<T>(text, field, key);

    /// <summary>Titled "Invalid {field}" by the catalog, naming the field.</summary>
    public static DomainProblem Invalid(string field, string key, object? values = null) =>
        DomainProblem.Bad(key, values, field);

    public static DomainProblem Conflict(string key, object? values = null) => DomainProblem.Conflict(key, values);
}
