namespace Linli.Calendar;

/// <summary>
/// China's one time zone (UTC+8, no summer time), where every community is: the dates, months and clock times Linli
/// numbers, bills and shows are China's, whatever the server's own zone.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>Now, on China's clock.</summary>
    public static DateTimeOffset Now(TimeProvider time) => time.GetUtcNow().ToOffset(Offset);

    /// <summary>Today's date in China.</summary>
    public static DateOnly Today(TimeProvider time) => DateOf(time.GetUtcNow());

    /// <summary>The same instant on China's clock (for its date, year or a time shown to people).</summary>
    public static DateTimeOffset InChina(this DateTimeOffset at) => at.ToOffset(Offset);

    /// <summary>The date in China at <paramref name="at"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>The instant a China wall clock shows <paramref name="time"/> on <paramref name="day"/>.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), Offset);
}
