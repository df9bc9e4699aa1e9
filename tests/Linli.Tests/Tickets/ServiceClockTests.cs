using Linli.Tickets;

namespace Linli.Tests.Tickets;

/// <summary>
/// Service time round the clock or in business hours (08:30–17:30, Monday to Saturday, China time). 2026-11-27 is a
/// Friday.
/// </summary>
public sealed class ServiceClockTests
{
    private static readonly BusinessHours Office = new();
    private static DateTimeOffset China(string local) => DateTimeOffset.Parse(local + "+08:00");

    [Theory]
    [InlineData("2026-11-27T10:00", 240, "2026-11-27T14:00")]     // within one working day
    [InlineData("2026-11-27T16:00", 240, "2026-11-28T11:00")]     // 1.5 h on Friday, 2.5 h on Saturday morning
    [InlineData("2026-11-27T17:30", 60, "2026-11-28T09:30")]      // made at closing time: counts from the next opening
    [InlineData("2026-11-28T20:00", 240, "2026-11-30T12:30")]     // Saturday evening: Sunday is off, due Monday
    [InlineData("2026-11-29T03:00", 60, "2026-11-30T09:30")]      // in the night on a day off
    [InlineData("2026-11-27T07:00", 30, "2026-11-27T09:00")]      // before opening
    [InlineData("2026-11-27T10:00", 27 * 60, "2026-12-01T10:00")] // 27 h: 7.5 Fri + 9 Sat + 9 Mon + 1.5 Tue
    public void BusinessHoursSkipNightsAndDaysOff(string start, int minutes, string due) =>
        Assert.Equal(China(due), ServiceClock.Add(China(start), TimeSpan.FromMinutes(minutes), Office));

    [Fact]
    public void AHolidayIsSkippedToo()
    {
        var hours = new BusinessHours { Holidays = [new DateOnly(2026, 11, 30)] };
        var due = ServiceClock.Add(China("2026-11-28T20:00"), TimeSpan.FromHours(4), hours);
        Assert.Equal(China("2026-12-01T12:30"), due);
    }

    [Fact]
    public void RoundTheClockIsPlainArithmetic() => Assert.Equal(China("2026-11-28T02:00"),
        ServiceClock.Add(China("2026-11-27T22:00"), TimeSpan.FromHours(4), null));

    [Fact]
    public void BetweenCountsOnlyOpenHoursAndIsTheInverseOfAdd()
    {
        TimeSpan Between(string from, string to) => ServiceClock.Between(China(from), China(to), Office);
        Assert.Equal(TimeSpan.FromHours(12), Between("2026-11-27T16:00", "2026-11-30T10:00"));
        Assert.Equal(TimeSpan.FromHours(-12), Between("2026-11-30T10:00", "2026-11-27T16:00"));
        Assert.Equal(TimeSpan.Zero, Between("2026-11-28T18:00", "2026-11-30T08:00"));
        var start = China("2026-11-27T15:10");
        foreach (var minutes in new[] { 5, 140, 141, 600, 5000 })
        {
            var due = ServiceClock.Add(start, TimeSpan.FromMinutes(minutes), Office);
            Assert.Equal(TimeSpan.FromMinutes(minutes), ServiceClock.Between(start, due, Office));
        }
    }
}
