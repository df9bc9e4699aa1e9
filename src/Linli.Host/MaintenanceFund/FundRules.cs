using Linli.Hosting;

namespace Linli.MaintenanceFund;

/// <summary>How the fund's services read what a request says, and refuse what it cannot say.</summary>
internal static class FundRules
{
    public const int MaxText = 2000;
    private const decimal MaxAmount = 1_000_000_000m;

    /// <summary>1 to <paramref name="max"/> characters of text; <paramref name="key"/> says what is missing.</summary>
    public static string Required(string? text, int max, string key) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Length > max
            ? throw DomainProblem.Bad(key, new { max })
            : text.Trim();

    public static decimal Money(decimal? amount, string name) =>
        amount is { } a && a > 0 && a == decimal.Round(a, 2) && a <= MaxAmount
            ? a
            : throw DomainProblem.Bad("fund.bad_money", new { name });
}
