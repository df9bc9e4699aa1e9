using Linli.Calendar;
using Linli.Fees;
using Linli.Hosting;

namespace Linli.Projects;

/// <summary>How the project services read what a request says, and refuse what it cannot say.</summary>
internal static class ProjectRules
{
    public const decimal MaxAmount = 100_000_000m;

    public static decimal Money(decimal? amount, string field) =>
        amount is { } a && a > 0 && a <= MaxAmount && decimal.Round(a, 2) == a
            ? decimal.Round(a, 2)
            : throw Invalid(field, $"A positive amount in yuan to the fen (two decimals at most), to {MaxAmount:0}.");

    public static string? Text(string? text, string field, int max, bool required = true)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return required ? throw Invalid(field, $"{field} is required.") : null;
        return trimmed.Length <= max ? trimmed : throw Invalid(field, $"{field} is at most {max} characters.");
    }

    /// <summary>The date given, or today; never a day still to come (China time).</summary>
    public static DateOnly Date(DateOnly? date, TimeProvider time) =>
        date is not { } d ? ChinaTime.Today(time)
        : d <= ChinaTime.Today(time) ? d
        : throw Invalid("date", "A date that has come (China time).");

    /// <summary>A member by its name alone: Enum.TryParse also takes "3" and "Funding, InProgress".</summary>
    public static T Parse<T>(string? text, string field, string detail) where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<T>(name)
            : throw Invalid(field, detail);

    public static DomainProblem Invalid(string field, string detail) =>
        DomainProblem.Bad("Invalid " + field, detail, field);

    public static DomainProblem Conflict(string title, string detail) => DomainProblem.Conflict(title, detail);
}
