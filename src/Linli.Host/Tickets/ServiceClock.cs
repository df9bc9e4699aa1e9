using System.Diagnostics.CodeAnalysis;

namespace Linli.Tickets;

/// <summary>A property office's working hours, in its own time zone (China: UTC+8, no daylight saving).</summary>
public sealed class BusinessHours
{
    public TimeOnly Start { get; set; } = new(8, 30);
    public TimeOnly End { get; set; } = new(17, 30);
    public DayOfWeek[] Days { get; set; } =
        [
            DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday,
            DayOfWeek.Saturday,
        ];
    /// <summary>Days the office is closed although they fall on a working weekday (public holidays).</summary>
    public DateOnly[] Holidays { get; set; } = [];
    public int UtcOffsetHours { get; set; } = 8;
}

/// <summary>
/// Service-level time: round the clock, or counted in business hours only, so a complaint made on Saturday evening
/// with a 4-hour target is due at Monday 12:30, not Sunday midnight.
/// </summary>
public static class ServiceClock
{
    /// <summary>The instant <paramref name="duration"/> of service time after <paramref name="start"/>.</summary>
    public static DateTimeOffset Add(DateTimeOffset start, TimeSpan duration, BusinessHours? hours)
    {
        if (duration <= TimeSpan.Zero || !Counts(hours)) return start + duration;
        var offset = TimeSpan.FromHours(hours.UtcOffsetHours);
        var t = start.ToOffset(offset);
        var left = duration;
        for (var day = 0; day < 3660; day++)
        {
            if (Window(t, hours) is var (open, close) && t < close)
            {
                if (t < open) t = open;
                var available = close - t;
                if (left <= available) return (t + left).ToUniversalTime();
                left -= available;
            }
            t = new DateTimeOffset(t.Date.AddDays(1), offset);
        }
        return start + duration;
    }

    /// <summary>
    /// How much service time lies between two instants (negative when <paramref name="to"/> is earlier).
    /// </summary>
    public static TimeSpan Between(DateTimeOffset from, DateTimeOffset to, BusinessHours? hours)
    {
        if (to < from) return -Between(to, from, hours);
        if (!Counts(hours)) return to - from;
        var offset = TimeSpan.FromHours(hours.UtcOffsetHours);
        var t = from.ToOffset(offset);
        var total = TimeSpan.Zero;
        while (t < to)
        {
            if (Window(t, hours) is var (open, close))
            {
                var a = t > open ? t : open;
                var b = to < close ? to : close;
                if (b > a) total += b - a;
            }
            t = new DateTimeOffset(t.Date.AddDays(1), offset);
        }
        return total;
    }

    /// <summary>
    /// The office's opening and closing on the local day of <paramref name="local"/>, or null on a day off.
    /// </summary>
    private static (DateTimeOffset Open, DateTimeOffset Close)? Window(DateTimeOffset local, BusinessHours hours)
    {
        var date = DateOnly.FromDateTime(local.Date);
        if (!hours.Days.Contains(date.DayOfWeek) || hours.Holidays.Contains(date)) return null;
        return (new DateTimeOffset(date.ToDateTime(hours.Start), local.Offset),
            new DateTimeOffset(date.ToDateTime(hours.End), local.Offset));
    }

    /// <summary>
    /// Hours time can be counted in: some days, each closing after it opens. Without them time runs round the clock.
    /// </summary>
    private static bool Counts([NotNullWhen(true)] BusinessHours? hours) =>
        hours is not null && hours.Days.Length > 0 && hours.End > hours.Start;
}
