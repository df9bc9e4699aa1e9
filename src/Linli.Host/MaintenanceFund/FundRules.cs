using Linli.Hosting;

namespace Linli.MaintenanceFund;

/// <summary>How the fund's services read what a request says, and refuse what it cannot say.</summary>
internal static class FundRules
{
    public const int MaxText = 2000;
    private const decimal MaxAmount = 1_000_000_000m;

    public static string Required(string? text, int max, string name, string detail) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Length > max
            ? throw DomainProblem.Bad($"A {name} is needed", $"{detail} (at most {max} characters)")
            : text.Trim();

    public static decimal Money(decimal? amount, string name) =>
        amount is { } a && a > 0 && a == decimal.Round(a, 2) && a <= MaxAmount
            ? a
            : throw DomainProblem.Bad($"Bad {name}", $"{name} is yuan above zero, to the fen.");
}
