using System.Globalization;
using System.Text.RegularExpressions;
using Linli.Calendar;

namespace Linli.Fees.Payments;

/// <summary>
/// What the remark on a statement row says: the flat ("3栋502", "5栋1单元1203") and, optionally, the month paid
/// for.
/// </summary>
public static partial class Remarks
{
    /// <summary>The flat the remark names, as written ("3栋502"), if it names one.</summary>
    public static string? Flat(string remark) => FlatPattern().Match(remark) is { Success: true } m ? m.Value : null;

    /// <summary>
    /// A month the remark names: "2026-10", "2026年10月", or "10月" (the latest such month not after the payment).
    /// </summary>
    public static Period? Month(string remark, DateTimeOffset paidAt)
    {
        if (FullMonth().Match(remark) is { Success: true } full)
        {
            var (year, named) = (full.Groups[1].Value, int.Parse(full.Groups[2].Value, CultureInfo.InvariantCulture));
            if (Period.TryParse($"{year}-{named:D2}", out var p)) return p;
        }
        if (ShortMonth().Match(remark) is { Success: true } m
            && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is >= 1 and <= 12 and var month)
        {
            var local = paidAt.InChina();
            return Period.Parse($"{(month > local.Month ? local.Year - 1 : local.Year)}-{month:D2}");
        }
        return null;
    }

    [GeneratedRegex(@"\d+栋(?:\d+单元)?\d{3,4}")]
    private static partial Regex FlatPattern();

    [GeneratedRegex(@"(\d{4})\s*[-年/.]\s*(\d{1,2})(?!\d)")]
    private static partial Regex FullMonth();

    [GeneratedRegex(@"(?<!\d)(\d{1,2})月")]
    private static partial Regex ShortMonth();
}
