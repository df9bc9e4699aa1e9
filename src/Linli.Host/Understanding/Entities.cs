using System.Globalization;
using System.Text.RegularExpressions;
using Linli.Calendar;

namespace Linli.Understanding;

/// <summary>One thing found in the text, with its place: <c>Text[Start..End]</c>.</summary>
public sealed record EntityMatch(string Entity, string Value, int Start, int End);

/// <summary>
/// Units (3栋502, 5号楼1单元1203, B座1203, 三栋五零二), periods (上个月, 2026年3月, last month), shared
/// places (3栋电梯, 地下车库, the lobby of building 3), times (明天下午, tomorrow morning, 尽快), amounts
/// (300块, ¥1,200.50) and phone numbers, found by rule. Where two overlap, the earlier rule wins.
/// </summary>
public static partial class Entities
{
    public const string Unit = "unit", Period = "period", Amount = "amount";
    public const string Phone = "phone", Place = "place", When = "when";

    public static IReadOnlyList<EntityMatch> Extract(string text, Period current)
    {
        var found = new List<EntityMatch>();
        void Add(EntityMatch match)
        {
            if (!found.Any(f => f.Start < match.End && match.Start < f.End)) found.Add(match);
        }

        foreach (Match m in PhonePattern().Matches(text))
            Add(new EntityMatch(Phone, Regex.Replace(m.Value, @"\D", ""), m.Index, m.Index + m.Length));
        foreach (Match m in UnitPattern().Matches(text))
            if (UnitValue(m) is { } unit) Add(new EntityMatch(Unit, unit, m.Index, m.Index + m.Length));
        foreach (var (value, start, end) in Periods(text, current))
            Add(new EntityMatch(Period, value, start, end));
        foreach (Match m in PlacePattern().Matches(text))
            Add(new EntityMatch(Place, LeadingThe().Replace(m.Value.Trim(), ""), m.Index, m.Index + m.Length));
        foreach (Match m in WhenPattern().Matches(text))
            if (m.Value.Trim().Length > 0) Add(new EntityMatch(When, m.Value.Trim(), m.Index, m.Index + m.Length));
        foreach (Match m in AmountPattern().Matches(text))
            if (AmountValue(m) is { } amount) Add(new EntityMatch(Amount, amount, m.Index, m.Index + m.Length));

        return found.OrderBy(f => f.Start).ToList();
    }

    /// <summary>"1,200.50" → "1200.5": the amount without separators or trailing zeros.</summary>
    private static string? AmountValue(Match m) =>
        decimal.TryParse(m.Groups["n"].Value.Replace(",", ""), NumberStyles.Number, CultureInfo.InvariantCulture,
            out var amount)
            ? amount.ToString("0.##", CultureInfo.InvariantCulture)
            : null;

    /// <summary>The canonical label of a unit: "3栋502", "5栋1单元1203", "B座1203".</summary>
    private static string? UnitValue(Match m)
    {
        var building = m.Groups["b"].Value;
        var buildingNumber = ChineseNumber.ParseCount(building);
        var label = buildingNumber is { } n ? $"{n}栋"
            : char.IsAsciiLetter(building[0]) ? $"{char.ToUpperInvariant(building[0])}座"
            : null;
        if (label is null) return null;
        if (m.Groups["u"].Success && ChineseNumber.ParseCount(m.Groups["u"].Value) is { } entrance)
            label += $"{entrance}单元";
        var room = ChineseNumber.ParseDigits(m.Groups["r"].Value);
        return room is { Length: >= 3 and <= 4 } ? label + room.TrimStart('0').PadLeft(3, '0') : null;
    }

    private static IEnumerable<(string Value, int Start, int End)> Periods(string text, Period current)
    {
        foreach (Match m in RelativeMonthPattern().Matches(text))
        {
            var offset = m.Value.ToLowerInvariant() switch
            {
                "上个月" or "上月" or "last month" => -1,
                "下个月" or "下月" or "next month" => 1,
                _ => 0,
            };
            yield return (current.AddMonths(offset).ToString(), m.Index, m.Index + m.Length);
        }
        foreach (Match m in YearMonthPattern().Matches(text))
        {
            var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
            var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (month is >= 1 and <= 12) yield return (new Period(year, month).ToString(), m.Index, m.Index + m.Length);
        }
        foreach (Match m in MonthOnlyPattern().Matches(text))
            if (ChineseNumber.ParseCount(m.Groups["m"].Value) is >= 1 and <= 12 and var month)
            {
                // "3月" without a year means the latest March that has begun.
                var year = month > current.Month ? current.Year - 1 : current.Year;
                yield return (new Period(year, month).ToString(), m.Index, m.Index + m.Length);
            }
        foreach (Match m in EnglishMonthPattern().Matches(text))
        {
            var month = DateTime.ParseExact(m.Groups["m"].Value[..3], "MMM", CultureInfo.InvariantCulture).Month;
            var year = m.Groups["y"].Success ? int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture)
                : month > current.Month ? current.Year - 1 : current.Year;
            yield return (new Period(year, month).ToString(), m.Index, m.Index + m.Length);
        }
    }

    [GeneratedRegex(@"(?<![\d.])(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(
        @"(?<b>\d{1,2}|[一二三四五六七八九十]{1,3}|(?<![A-Za-z])[A-Za-z])\s*(?:号楼|栋|幢|座|號樓|" +
        @"棟)\s*(?:(?<u>\d{1,2}|[一二三四五六七八九])\s*单元\s*)?(?<r>\d{3,4}|" +
        @"[零〇洞一二三四五六七八九]{3,4})(?:\s*[室号])?|" +
        @"(?<![\d.])(?<b>\d{1,2})-(?:(?<u>\d)-)?(?<r>\d{3,4})(?![\d.])")]
    private static partial Regex UnitPattern();

    [GeneratedRegex(
        @"上个月|上月|这个月|本月|下个月|下月|last month|this month|next month",
        RegexOptions.IgnoreCase)]
    private static partial Regex RelativeMonthPattern();

    [GeneratedRegex(@"(?<y>20\d{2})\s*(?:年\s*|[-/.])(?<m>1[0-2]|0?[1-9])(?:\s*月(?:份)?)?(?!\d)")]
    private static partial Regex YearMonthPattern();

    [GeneratedRegex(@"(?<![\d年])(?<m>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?")]
    private static partial Regex MonthOnlyPattern();

    [GeneratedRegex(
        @"\b(?<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:tember)?|" +
        @"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:\s+(?<y>20\d{2}))?",
        RegexOptions.IgnoreCase)]
    private static partial Regex EnglishMonthPattern();

    /// <summary>
    /// A shared place, with its building when named: "3栋电梯", "5号楼楼道", "地下车库",
    /// "the lobby of building 3".
    /// </summary>
    [GeneratedRegex(
        @"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3}|(?<![A-Za-z])[A-Za-z])\s*(?:号楼|栋|幢|座|號樓|" +
        @"棟)\s*(?:\d{1,2}\s*单元\s*)?的?\s*)?(?:地下车库|地下室|停车场|车库|大堂|门厅|电梯间|" +
        @"电梯口|电梯|楼道|走廊|楼梯间|楼梯|单元门|大门|东门|西门|南门|北门|侧门|门口|" +
        @"天台|楼顶|屋顶|外墙|花园|绿化带|广场|健身区|儿童乐园|垃圾房|配电房|水泵房|" +
        @"消防通道|岗亭)|(?:(?:building|block|bldg)\.?\s*\w{1,3}(?:'s)?\s+)?(?:the\s+)?\b(?:lobby|lifts?|" +
        @"elevators?|hallway|corridor|stairwell|stairs|staircase|entrance|gate|garage|car park|parking lot|basement|" +
        @"roof|rooftop|garden|playground|bin room)\b(?:\s+(?:of|in|at|on)\s+(?:building|block|bldg)\.?\s*\w{1,3})?",
        RegexOptions.IgnoreCase)]
    private static partial Regex PlacePattern();

    [GeneratedRegex(@"^the\s+", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingThe();

    /// <summary>
    /// When someone may come: "明天下午", "周六上午", "今晚", "尽快", "tomorrow morning", "asap".
    /// </summary>
    [GeneratedRegex(
        @"(?:今天|明天|后天|大后天|这周末|周末|下周[一二三四五六日天]?|" +
        @"周[一二三四五六日天]|星期[一二三四五六日天])\s*(?:早上|上午|中午|下午|傍晚|" +
        @"晚上)?|今晚|明晚|早上|上午|中午|下午|傍晚|晚上|马上|尽快|越快越好|随时|" +
        @"\b(?:(?:today|tomorrow|this)\s+(?:morning|afternoon|evening)|today|tomorrow|tonight|(?:on\s+)?(?:monday|" +
        @"tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:morning|afternoon|evening))?|in the (?:morning|" +
        @"afternoon|evening)|asap|as soon as possible|right away)\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex WhenPattern();

    [GeneratedRegex(
        @"(?:[¥￥]|RMB\s*)\s*(?<n>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)|" +
        @"(?<n>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s*(?:块钱|块|元|yuan|rmb)",
        RegexOptions.IgnoreCase)]
    private static partial Regex AmountPattern();
}

/// <summary>
/// Chinese numerals as residents say them: counts (十二 → 12) and digit strings (五零二 → "502").
/// </summary>
public static class ChineseNumber
{
    private const string Digits = "零一二三四五六七八九";

    public static int? ParseCount(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        if (text.Length == 0) return null;
        var ten = text.IndexOf('十');
        if (ten < 0) return text.Length == 1 && Digits.IndexOf(text[0]) is > 0 and var d ? d : null;
        var tens = ten == 0 ? 1 : Digits.IndexOf(text[0]);
        var ones = ten == text.Length - 1 ? 0 : Digits.IndexOf(text[^1]);
        return tens > 0 && ones >= 0 ? tens * 10 + ones : null;
    }

    public static string? ParseDigits(string text)
    {
        var digits = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i] switch { '〇' or '洞' => '零', var other => other };
            digits[i] = char.IsAsciiDigit(c) ? c : Digits.IndexOf(c) is >= 0 and var d ? (char)('0' + d) : '\0';
            if (digits[i] == '\0') return null;
        }
        return new string(digits);
    }
}
