using Linli.Calendar;
using Linli.Fees;

namespace Linli.Tests.Fees;

public class PeriodTests
{
    [Theory]
    [InlineData("2026-03", 2026, 3)]
    [InlineData("1999-12", 1999, 12)]
    public void ParsesMonths(string text, int year, int month)
    {
        Assert.True(Period.TryParse(text, out var p));
        Assert.Equal(new Period(year, month), p);
        Assert.Equal(text, p.ToString());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-3-1")]
    [InlineData("March")]
    [InlineData("")]
    [InlineData(null)]
    public void RejectsWhatIsNotAMonth(string? text) => Assert.False(Period.TryParse(text, out _));

    [Fact]
    public void AddsMonthsAcrossYears()
    {
        Assert.Equal(new Period(2027, 2), new Period(2026, 11).AddMonths(3));
        Assert.Equal(new Period(2025, 12), new Period(2026, 1).AddMonths(-1));
        Assert.Equal(23, new Period(2024, 11).MonthsUntil(new Period(2026, 10)));
    }

    [Fact]
    public void CurrentMonthIsChinaTime()
    {
        // 2026-03-31 17:00 UTC is already April 1st in Quanzhou.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(
            new DateTimeOffset(2026, 3, 31, 17, 0, 0, TimeSpan.Zero));
        Assert.Equal(new Period(2026, 4), Period.Current(time));
    }
}
