using Linli.Calendar;
using Linli.Fees;
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
        : throw DomainProblem.Bad("Bad period", $"'{text}' is not a month like 2026-03.");

    public static string Text(string? text, string name, string detail) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Length > MaxText
            ? throw DomainProblem.Bad($"A {name} is needed", $"{detail} (at most {MaxText} characters)")
            : text.Trim();

    /// <summary>A note that may be left out: "" then.</summary>
    public static string Note(string? note) =>
        note is { Length: > MaxText }
            ? throw DomainProblem.Bad("Note too long", $"At most {MaxText} characters.")
            : note?.Trim() ?? "";

    /// <summary>A member of <typeparamref name="T"/> by its name, never its number.</summary>
    public static T Parse<T>(string? text, string name) where T : struct, Enum =>
        Enum.TryParse<T>(text, true, out var value) && !int.TryParse(text, out _)
            ? value
            : throw DomainProblem.Bad($"Unknown {name}",
                $"{name} is one of {string.Join(", ", Enum.GetNames<T>())}.");
}
