using System.Net;
using System.Threading.Channels;
using Linli.Residents;
using Linli.Tests.Support;
using Linli.StaffConsole;
using Linli.Tickets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Staff;

/// <summary>
/// The staff console's live hub: new and changed tickets reach open consoles of that community, and only those.
/// </summary>
public sealed class StaffConsoleHubTests : IDisposable
{
    /// <remarks>What changed is counted from the tickets these tests open: the demo's own are removed.</remarks>
    private readonly LinliAppFactory _app =
        new LinliAppFactory(new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" })
            .WithoutDemoTickets();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<string> CookieFor(string userName) => TestCookies.StaffAsync(_app, userName);

    private HubConnection Connect(string cookie) => TestHubs.Connect(_app, StaffConsoleHub.Path, cookie);

    private static Channel<TicketView> Listen(HubConnection connection)
    {
        var heard = Channel.CreateUnbounded<TicketView>();
        connection.On<TicketView>("TicketCreated", t => heard.Writer.TryWrite(t));
        connection.On<TicketView>("TicketChanged", t => heard.Writer.TryWrite(t));
        return heard;
    }

    private static async Task SayAllAsync(ResidentChat chat, params string[] lines)
    {
        foreach (var line in lines) await chat.SayAsync(line);
    }

    private static async Task<TicketView> NextAsync(Channel<TicketView> heard) =>
        await heard.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);

    [Fact]
    public async Task ANewTicketAndItsChangesReachEveryOpenConsoleOfItsCommunityOnly()
    {
        await using var manager = Connect(await CookieFor("manager"));
        await using var repairman = Connect(await CookieFor("repair1"));
        await using var stranger = Connect(await CookieFor("syn0001.manager"));
        var (toManager, toRepairman, toStranger) = (Listen(manager), Listen(repairman), Listen(stranger));
        await Task.WhenAll(manager.StartAsync(Ct), repairman.StartAsync(Ct), stranger.StartAsync(Ct));

        var chat = await ResidentChat.StartAsync(_app);
        await SayAllAsync(chat, "报修", "公共区域", "1栋地下车库", "电路",
            "车库的灯全灭了", "很急", "对", "跳过");

        var created = await NextAsync(toManager);
        Assert.Equal(("repair_request", "1栋地下车库"), (created.Kind, created.Location));
        Assert.Equal(TicketStatus.New, created.Status);
        Assert.Equal(created.Number, (await NextAsync(toRepairman)).Number);

        var staff = await StaffClient.SignInAsync(_app, "repair1");
        Assert.Equal(HttpStatusCode.OK,
            (await staff.PostAsync($"/api/tickets/{created.Number}/claim", null, Ct)).StatusCode);
        var claimed = await NextAsync(toManager);
        Assert.Equal((created.Number, TicketStatus.Assigned), (claimed.Number, claimed.Status));
        Assert.True(claimed.Version > created.Version);

        // Another community's console heard nothing of it: the next thing it hears is a ticket of its own, told after.
        var theirs = _app.Services.GetRequiredService<ITicketStore>().FindByNumber(created.Number)!
            with
        { CommunityId = "syn0001", Number = "QT-SENTINEL" };
        _app.Services.GetRequiredService<ITicketFeed>().Publish(theirs, created: true);
        Assert.Equal("QT-SENTINEL", (await NextAsync(toStranger)).Number);
    }

    [Fact]
    public async Task NobodyButStaffMayConnect()
    {
        await using var anonymous = Connect("");
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.StartAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AConsoleThatWasAwayCatchesUpOnWhatChanged()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var chat = await ResidentChat.StartAsync(_app);
        foreach (var line in new[] { "隐患上报", "井盖缺失", "东门旁边", "暂时没有", "对", "跳过" }) await chat.SayAsync(line);

        await using var console = Connect(await CookieFor("safety"));
        await console.StartAsync(Ct);
        var missed = await console.InvokeAsync<TicketView[]>("ChangesSince", before, Ct);
        Assert.Equal("hazard_report", Assert.Single(missed).Kind);
        var afterLast = missed[0].History.Max(h => h.At).AddSeconds(1);
        Assert.Empty(await console.InvokeAsync<TicketView[]>("ChangesSince", afterLast, Ct));
    }

    [Fact]
    public async Task AResidentSignedInFromTheirChatIsRefusedByTheHub()
    {
        var chat = await ResidentChat.StartAsync(_app);
        var links = _app.Services.GetRequiredService<Linli.Accounts.ResidentLinks>();
        var link = links.Create(chat.BindTo(_app.Services, "3栋502"));
        var cookie = await TestCookies.ResidentAsync(_app, link);

        await using var resident = Connect(cookie);
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => resident.StartAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task StaffWatchTheirOwnCommunitysConversationsLiveWithPhonesMaskedAndNobodyElsesAtAll()
    {
        var chat = await ResidentChat.StartAsync(_app);
        await SayAllAsync(chat, "报修", "公共区域", "1栋地下车库", "电路",
            "车库的灯全灭了，有事打13800138000", "很急", "对", "跳过");
        var queue = _app.Services.GetRequiredService<ITicketStore>().Queue("citong", new TicketQuery(), 0, 10);
        var number = Assert.Single(queue).Number;

        await using var manager = Connect(await CookieFor("manager"));
        var lines = Channel.CreateUnbounded<TranscriptLine>();
        manager.On<string, TranscriptLine>("ConversationActivity", (_, l) => lines.Writer.TryWrite(l));
        await manager.StartAsync(Ct);
        var watch = await manager.InvokeAsync<ConversationWatch>("WatchConversation", number, Ct);
        Assert.Equal("报修", watch.Lines.First(l => l.Role == "user").Text);
        Assert.Contains(watch.Lines,
            l => l.Role == "bot" && l.Text.Contains("是家里要修") && l.Buttons.Contains("公共区域"));
        Assert.Contains(watch.Lines, l => l.Role == "bot" && l.Text.Contains(number));
        Assert.DoesNotContain(watch.Lines, l => l.Text.Contains("13800138000"));
        Assert.Contains(watch.Lines, l => l.Text == "车库的灯全灭了，有事打138****8000");

        // Live: what the resident says next and what the bot answers reach the watching console as they happen.
        await chat.SayAsync("你好");
        var heard = await lines.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(("user", "你好"), (heard.Role, heard.Text));
        Assert.Equal("bot", (await lines.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct)).Role);
        var audit = _app.Services.GetRequiredService<Linli.Accounts.AuditTrail>();
        Assert.Contains(audit.For("citong", 10), e => e.Action == "conversation.watch" && e.Target == number);

        // After StopWatching, nothing more: once a later turn of the conversation is over (turns run one at a time, so
        // every line of the first was told), the next line the console hears is one sent to every console after it.
        await manager.InvokeAsync("StopWatching", number, Ct);
        await chat.SayAsync("谢谢");
        await chat.SayAsync("好的");
        var sentinel = new TranscriptLine(DateTimeOffset.UtcNow, "staff", null, "sentinel", [], []);
        await _app.Services.GetRequiredService<IHubContext<StaffConsoleHub, IStaffConsoleClient>>()
            .Clients.All.ConversationActivity("sentinel", sentinel);
        var next = await lines.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal("sentinel", next.Text);

        // Another community's staff cannot watch it, nor learn that it exists.
        await using var stranger = Connect(await CookieFor("syn0001.manager"));
        await stranger.StartAsync(Ct);
        var refused = await Assert.ThrowsAsync<HubException>(
            () => stranger.InvokeAsync<ConversationWatch>("WatchConversation", number, Ct));
        Assert.Contains($"No ticket {number} in your community", refused.Message);
    }
}
