using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Linli.Calendar;

/// <summary>A billing month. Stored and shown as <c>yyyy-MM</c>, which also sorts correctly as text.</summary>
public readonly record struct Period(int Year, int Month) : IComparable<Period>
{
    public static Period Of(DateOnly date) => new(date.Year, date.Month);

    public static Period Of(DateTimeOffset time) => new(time.Year, time.Month);

    /// <summary>The month it is now in China.</summary>
    public static Period Current(TimeProvider time) => Of(ChinaTime.Now(time));

    public DateOnly FirstDay => new(Year, Month, 1);

    /// <summary>The month's last day: the day its bills fall due, from which arrears age.</summary>
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    public Period AddMonths(int months)
    {
        var d = FirstDay.AddMonths(months);
        return new(d.Year, d.Month);
    }

    /// <summary>Whole months from this period to <paramref name="later"/> (negative when it is earlier).</summary>
    public int MonthsUntil(Period later) => (later.Year - Year) * 12 + later.Month - Month;

    public int CompareTo(Period other) => (Year, Month).CompareTo((other.Year, other.Month));

    public static bool operator <(Period a, Period b) => a.CompareTo(b) < 0;
    public static bool operator >(Period a, Period b) => a.CompareTo(b) > 0;
    public static bool operator <=(Period a, Period b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Period a, Period b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Year:D4}-{Month:D2}";

    public static bool TryParse([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        var culture = CultureInfo.InvariantCulture;
        if (text is null || !DateOnly.TryParseExact(text, "yyyy-MM", culture, DateTimeStyles.None, out var d))
            return false;
        period = Of(d);
        return true;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var p)
            ? p
            : throw new FormatException($"'{text}' is not a period; expected yyyy-MM, e.g. 2026-03.");
}
