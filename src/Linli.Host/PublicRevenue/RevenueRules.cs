using Linli.Calendar;
using Linli.Hosting;

namespace Linli.PublicRevenue;

/// <summary>How the ledger's services read what a request says, and refuse what it cannot say.</summary>
internal static class RevenueRules
{
    public const int MaxText = 500;

    /// <summary>A month like 2026-03; none means this month (China time).</summary>
    public static Period Month(string? text, TimeProvider time) =>
        text is null ? Period.Current(time)
        : Period.TryParse(text, out var p) ? p
        : throw DomainProblem.Bad("revenue.bad_period", new { text });

    /// <summary>A text of 1 to <see cref="MaxText"/> characters; <paramref name="key"/> says what is missing.</summary>
    public static string Text(string? text, string key) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Length > MaxText
            ? throw DomainProblem.Bad(key, new { max = MaxText })
            : text.Trim();

    /// <summary>A note that may be left out: "" then.</summary>
    public static string Note(string? note) =>
        note is { Length: > MaxText }
            ? throw DomainProblem.Bad("revenue.note_too_long", new { maxText = MaxText })
            : note?.Trim() ?? "";

    /// <summary>A member of <typeparamref name="T"/> by its name, never its number.</summary>
    public static T Parse<T>(string? text, string name) where T : struct, Enum =>
        EnumNames.TryParse<T>(text, out var value)
            ? value
            : throw DomainProblem.Bad("revenue.unknown_name", new { name, names = EnumNames.List<T>() }, name);
}
