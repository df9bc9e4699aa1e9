using Linli.Calendar;
using Linli.Fees;
using Linli.Understanding;

namespace Linli.Tests.Understanding;

public class EntitiesTests
{
    private static readonly Period November = new(2026, 11);

    private static EntityMatch Single(string text, string entity) =>
        Assert.Single(Entities.Extract(text, November), e => e.Entity == entity);

    [Theory]
    [InlineData("我家3栋502漏水", "3栋502", "3栋502")]
    [InlineData("3号楼502室的账单", "3栋502", "3号楼502室")]
    [InlineData("5号楼1单元1203", "5栋1单元1203", "5号楼1单元1203")]
    [InlineData("B座1203有人吵", "B座1203", "B座1203")]
    [InlineData("三栋五零二", "3栋502", "三栋五零二")]
    [InlineData("十二栋一零零三", "12栋1003", "十二栋一零零三")]
    [InlineData("住 3-502", "3栋502", "3-502")]
    [InlineData("6幢 1101", "6栋1101", "6幢 1101")]
    public void FindsUnitsInTheirSpokenForms(string text, string value, string span)
    {
        var unit = Single(text, Entities.Unit);
        Assert.Equal(value, unit.Value);
        Assert.Equal(span, text[unit.Start..unit.End]);
    }

    [Theory]
    [InlineData("上个月的物业费", "2026-10")]
    [InlineData("这个月交了吗", "2026-11")]
    [InlineData("2026年3月的账单", "2026-03")]
    [InlineData("2025-12 paid?", "2025-12")]
    [InlineData("3月份的停车费", "2026-03")]
    [InlineData("十二月的物业费", "2025-12")]
    [InlineData("what did I pay last month", "2026-10")]
    [InlineData("bill for March 2025", "2025-03")]
    [InlineData("bill for december", "2025-12")]
    public void FindsPeriods(string text, string value) => Assert.Equal(value, Single(text, Entities.Period).Value);

    [Theory]
    [InlineData("交了300块", "300")]
    [InlineData("一共¥1,200.50", "1200.5")]
    [InlineData("付了 88.80 元", "88.8")]
    [InlineData("paid RMB 2,000", "2000")]
    public void FindsAmounts(string text, string value) => Assert.Equal(value, Single(text, Entities.Amount).Value);

    [Theory]
    [InlineData("我的电话13812345678", "13812345678")]
    [InlineData("打0595-22881234找我", "059522881234")]
    public void FindsPhones(string text, string value) => Assert.Equal(value, Single(text, Entities.Phone).Value);

    [Fact]
    public void FindsSeveralWithPositionsAndNoOverlaps()
    {
        const string text = "3栋502上个月交了300块，电话13812345678";
        var found = Entities.Extract(text, November);
        Assert.Equal([Entities.Unit, Entities.Period, Entities.Amount, Entities.Phone], found.Select(e => e.Entity));
        Assert.All(found, e => Assert.True(e.End > e.Start));
        Assert.Equal("13812345678", text[found[3].Start..found[3].End]);
    }

    [Theory]
    [InlineData("天气不错")]
    [InlineData("水龙头坏了")]
    [InlineData("12345")]
    public void FindsNothingWhereThereIsNothing(string text) => Assert.Empty(Entities.Extract(text, November));

    [Theory]
    [InlineData("3栋电梯又坏了", "place", "3栋电梯")]
    [InlineData("地下车库的灯全灭了", "place", "地下车库")]
    [InlineData("The light in the lobby of building 3 is broken", "place", "lobby of building 3")]
    [InlineData("明天下午来修可以吗", "when", "明天下午")]
    [InlineData("can someone come tomorrow morning", "when", "tomorrow morning")]
    [InlineData("尽快派人来", "when", "尽快")]
    public void FindsWhereAndWhen(string text, string entity, string value) =>
        Assert.Contains(Entities.Extract(text, November), e => e.Entity == entity && e.Value == value);
}
