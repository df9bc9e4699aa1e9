using Linli.Mediation;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.OpenAccounts;

/// <summary>
/// Asked in the chat, the open accounts answer from the data, with a signed link to the page once the flat is known.
/// </summary>
public sealed class OpenAccountsChatTests : IDisposable
{
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();

    [Fact]
    public async Task Public_revenue_the_fund_and_the_collection_rate_are_answered_from_the_data()
    {
        var chat = await ResidentChat.StartAsync(_app);
        // Before the flat is known: the community's figures, no link.
        var guest = string.Join("\n", await chat.SayAsync("公维金还剩多少钱"));
        var fund = Db.FundEntries.Find(e => e.CommunityId == "citong").Sum(e => e.Amount);
        Assert.Contains($"公维金余额 {fund:#,0.00} 元", guest);
        Assert.DoesNotContain("/auth/link", guest);

        chat.BindTo(_app.Services, "3栋502");
        var mine = string.Join("\n", await chat.SayAsync("公维金还剩多少钱"));
        Assert.Contains("3栋502 分摊约", mine);
        Assert.Contains("/auth/link", mine);

        var revenue = string.Join("\n", await chat.SayAsync("小区停车位出租的钱去哪了"));
        var lastClosed = Db.RevenueCloses.Find(c => c.CommunityId == "citong").MaxBy(c => c.Period)!;
        var period = lastClosed.Period;
        Assert.Contains($"{period.Year}年{period.Month}月 公共收益：收入 {lastClosed.Income:#,0.00} 元", revenue);
        Assert.Contains("停车", revenue);

        var rate = string.Join("\n", await chat.SayAsync("我们小区物业费收缴率是多少"));
        Assert.Contains("物业费收缴率：按金额", rate);

        var english = string.Join("\n", await chat.SayAsync("How much is left in the maintenance fund?", "en-US"));
        Assert.Contains("The maintenance fund holds", english);
    }

    [Fact]
    public async Task Asking_for_mediation_in_the_chat_opens_a_case_the_resident_can_follow()
    {
        var chat = await ResidentChat.StartAsync(_app);
        var binding = chat.BindTo(_app.Services, "3栋502");
        await chat.SayAsync("申请调解");
        await chat.SayAsync("3栋602");
        var done = string.Join("\n", await chat.SayAsync("他家空调外机滴水到我家阳台"));
        var cases = _app.Services.GetRequiredService<MediationService>().ForPerson("citong", binding.PersonId);
        var opened = Assert.Single(cases);
        Assert.Contains($"案件号 {opened.Number}", done);
        Assert.NotNull(opened.TicketNumber);
        Assert.Contains(opened.Parties, p => p.Flat == "3栋602");

        // The case is the resident's own data: it is in what they can download.
        var web = await ResidentWeb.SignInAsync(_app, "3栋502");
        var data = await web.GetStringAsync("/api/me/data", TestContext.Current.CancellationToken);
        Assert.Contains($"\"number\":\"{opened.Number}\"", data);
    }
}
