using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.TeaTable;
using Linli.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.TeaTable;

/// <summary>
/// The tea-table hub (community, presence, catching up) and the pushes to residents' chats (digests, vote reminders).
/// </summary>
public sealed class TeaTableLiveTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LinliAppFactory _app;

    // The background clock is turned far out so that the test calls each timer step itself.
    public TeaTableLiveTests() => _app = new LinliAppFactory(new()
    {
        ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72", ["TeaTable:TimerCheckSeconds"] = "2592000",
        ["DirectLine:TokenMinutes"] = "1440",
    }, time: _clock);

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TeaTableTimers Timers => _app.Services.GetServices<IHostedService>().OfType<TeaTableTimers>().Single();

    /// <summary>Starts a thread over the API; its number.</summary>
    private static async Task<int> StartThreadAsync(HttpClient who, string title, string text, int? building = null)
    {
        var created = await who.PostAsJsonAsync("/api/tea/threads", new { title, text, building }, Ct);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task AHubJoinIsForTheCallersOwnCommunityAndAnonymousCallersAreRefused()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice, "测试", "内容");

        await using var anonymous = ConnectWith("");
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.StartAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using var stranger = ConnectWith(await CookieAsync("1栋101", "syn0001"));
        await stranger.StartAsync(Ct);
        var notYours = await Assert.ThrowsAsync<HubException>(
            () => stranger.InvokeAsync<JoinResult>("Join", thread, 0, Ct));
        Assert.Contains($"No thread {thread} in your community", notYours.Message);
    }

    [Fact]
    public async Task PresenceCountsPeopleAndAReconnectingPageGetsWhatItMissed()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice, "测试", "第一条");
        var bobCookie = await CookieAsync("5栋301");

        await using var bobTab1 = ConnectWith(bobCookie);
        await using var bobTab2 = ConnectWith(bobCookie);
        await using var carol = ConnectWith(await CookieAsync("2栋201"));
        var posts = Channel.CreateUnbounded<PostView>();
        carol.On<PostView>("PostAdded", p => posts.Writer.TryWrite(p));
        await Task.WhenAll(bobTab1.StartAsync(Ct), bobTab2.StartAsync(Ct), carol.StartAsync(Ct));
        var first = await bobTab1.InvokeAsync<JoinResult>("Join", thread, 0, Ct);
        Assert.Equal(1, first.Present);
        // The same person in two tabs.
        Assert.Equal(2 - 1, (await bobTab2.InvokeAsync<JoinResult>("Join", thread, 0, Ct)).Present);
        var joined = await carol.InvokeAsync<JoinResult>("Join", thread, 0, Ct);
        Assert.Equal(2, joined.Present);
        var lastSeen = joined.Missed.Max(p => p.Id);

        await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "第二条" }, Ct);
        var live = await posts.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Contains("第二条", live.Html);

        // Carol's connection drops; two posts come meanwhile; she joins again from the last post she showed.
        await carol.StopAsync(Ct);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "第三条" }, Ct);
        await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "第四条" }, Ct);
        await carol.StartAsync(Ct);
        var caughtUp = await carol.InvokeAsync<JoinResult>("Join", thread, live.Id, Ct);
        Assert.Equal(["<p>第三条</p>", "<p>第四条</p>"], caughtUp.Missed.Select(p => p.Html.Trim()));
        Assert.True(lastSeen < live.Id);
    }

    private HubConnection ConnectWith(string cookie) => TestHubs.Connect(_app, TeaTableHub.Path, cookie);

    /// <summary>The cookie a resident's browser keeps after following their signed link.</summary>
    private Task<string> CookieAsync(string unit, string community = "citong") =>
        TestCookies.ResidentAsync(_app, ResidentWeb.LinkFor(_app, unit, communityId: community));

    [Fact]
    public async Task AClientSpeakingMessagePackJoinsAndHearsPostsAndCounts()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice, "二进制", "第一条");
        await using var bob = TestHubs.Connect(_app, TeaTableHub.Path, await CookieAsync("5栋301"), messagePack: true);
        var posts = Channel.CreateUnbounded<PostView>();
        bob.On<PostView>("PostAdded", p => posts.Writer.TryWrite(p));
        await bob.StartAsync(Ct);

        var joined = await bob.InvokeAsync<JoinResult>("Join", thread, 0, Ct);
        Assert.Equal(("二进制", 1), (joined.Thread.Title, joined.Present));
        Assert.Equal("<p>第一条</p>", Assert.Single(joined.Missed).Html.Trim());
        await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "第二条" }, Ct);
        var live = await posts.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal((thread, "<p>第二条</p>"), (live.ThreadId, live.Html.Trim()));
    }

    [Fact]
    public async Task FollowersGetOneDigestAnHourInTheirChatNotAMessagePerPost()
    {
        var chat = await ResidentChat.StartAsync(_app);
        var binding = chat.BindTo(_app.Services, "3栋501");
        await chat.SayAsync("你好");   // Linli knows where to reach them once they have spoken
        var person = _app.Services.GetRequiredService<LinliDatabase>().People.FindById(binding.PersonId)!;
        var author = Linli.Accounts.AuthApi.ResidentPrincipal(person, "citong", binding.UnitId);
        var tea = _app.Services.GetRequiredService<TeaTablePosts>();
        var (thread, _) = tea.CreateThread(author, "充电桩", "装在哪里？", null);   // the author follows it
        Assert.Equal(0, await Timers.DigestAsync(Ct));                       // from now on

        var bob = await ResidentWeb.SignInAsync(_app, "5栋301");
        await bob.PostAsJsonAsync($"/api/tea/threads/{thread.Id}/posts", new { text = "东侧好" }, Ct);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await bob.PostAsJsonAsync($"/api/tea/threads/{thread.Id}/posts", new { text = "西侧也行，离门口近" }, Ct);
        Assert.Equal(1, await Timers.DigestAsync(Ct));
        var heard = Assert.Single(await chat.HeardAsync());
        Assert.StartsWith("您关注的「充电桩」有 2 条新回复，最新一条：", heard);
        Assert.Contains("西侧也行，离门口近", heard);
        Assert.Contains("/auth/link?t=", heard);

        // More posts within the hour wait for the next digest.
        _clock.Advance(TimeSpan.FromSeconds(20));
        await bob.PostAsJsonAsync($"/api/tea/threads/{thread.Id}/posts", new { text = "再补充" }, Ct);
        Assert.Equal(0, await Timers.DigestAsync(Ct));
        Assert.Empty(await chat.HeardAsync());
        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(1, await Timers.DigestAsync(Ct));
        Assert.StartsWith("您关注的「充电桩」有 1 条新回复", Assert.Single(await chat.HeardAsync()));
    }

    [Fact]
    public async Task AFollowersOwnPostsMoveTheirDigestMarkWithoutADigest()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice, "楼道灯", "晚上太暗");   // the author follows it
        Assert.Equal(0, await Timers.DigestAsync(Ct));                     // from now on
        await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "补充：3楼最暗" }, Ct);
        _clock.Advance(TimeSpan.FromMinutes(61));

        Assert.Equal(0, await Timers.DigestAsync(Ct));
        var newest = _app.Services.GetRequiredService<ITeaPostStore>().Before("citong", thread, int.MaxValue, 1);
        var mark = Assert.Single(_app.Services.GetRequiredService<ITeaDigestStore>().Marks("citong", thread)).Value;
        Assert.Equal(Assert.Single(newest).Id, mark.LastPostId);
        Assert.Null(mark.SentAt);
    }

    [Fact]
    public async Task OwnersWhoHaveNotVotedAreRemindedOnceBeforeTheDeadline()
    {
        var voter = await ResidentWeb.SignInAsync(_app, "2栋201");
        var chat = await ResidentChat.StartAsync(_app);
        chat.BindTo(_app.Services, "2栋202");
        await chat.SayAsync("你好");
        var thread = await StartThreadAsync(voter, "2栋加装扶手", "用公维金", building: 2);
        var proposal = new
        {
            text = "动用公维金加装扶手", matter = "UseFund", deadline = _clock.GetUtcNow().AddHours(30),
        };
        await voter.PutAsJsonAsync($"/api/tea/threads/{thread}/proposal", proposal, Ct);
        await voter.PutAsJsonAsync($"/api/tea/threads/{thread}/vote", new { stance = "agree" }, Ct);

        Assert.Equal(0, await Timers.RemindAsync(Ct));   // 30 hours left: not yet
        _clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal(1, await Timers.RemindAsync(Ct));   // the bound owner of 2栋202, who has not voted
        Assert.StartsWith("茶桌议事「2栋加装扶手」的表决", Assert.Single(await chat.HeardAsync()));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Timers.RemindAsync(Ct));   // once only
    }

    [Fact]
    public async Task NamingAMemberOfStaffTellsTheirCommunitysConsoles()
    {
        var db = _app.Services.GetRequiredService<LinliDatabase>();
        var repairman = db.People.FindById(db.Accounts.FindById("repair1")!.PersonId)!;
        await using var console = TestHubs.Connect(
            _app, Linli.StaffConsole.StaffConsoleHub.Path, await TestCookies.StaffAsync(_app, "repair1"));
        var mentions = Channel.CreateUnbounded<MentionView>();
        console.On<MentionView>("Mentioned", m => mentions.Writer.TryWrite(m));
        await console.StartAsync(Ct);

        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice, "地库漏水", "B2 又漏了");
        var naming = new { text = $"@{repairman.Name} 师傅能来看看吗？" };
        await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", naming, Ct);
        var mention = await mentions.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal((repairman.Id, thread, "地库漏水"), (mention.PersonId, mention.ThreadId, mention.Title));
        Assert.StartsWith($"@{repairman.Name} 师傅能来看看吗", mention.Snippet);
    }

    [Fact]
    public async Task APostReachesTheThreadsViewersOnceAndItsNewCountTheListPages()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice, "电梯", "又坏了");
        await using var viewer = ConnectWith(await CookieAsync("5栋301"));
        await using var lister = ConnectWith(await CookieAsync("2栋201"));
        var (posts, viewerHeard) = (Channel.CreateUnbounded<PostView>(), Channel.CreateUnbounded<ThreadView>());
        var listerHeard = Channel.CreateUnbounded<ThreadView>();
        viewer.On<PostView>("PostAdded", p => posts.Writer.TryWrite(p));
        viewer.On<ThreadView>("ThreadChanged", t => viewerHeard.Writer.TryWrite(t));
        lister.On<ThreadView>("ThreadChanged", t => listerHeard.Writer.TryWrite(t));
        await Task.WhenAll(viewer.StartAsync(Ct), lister.StartAsync(Ct));
        await viewer.InvokeAsync<JoinResult>("Join", thread, 0, Ct);
        await lister.InvokeAsync("WatchList", Ct);

        foreach (var text in new[] { "一楼", "二楼" })
            await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text }, Ct);

        foreach (var text in new[] { "一楼", "二楼" })
            Assert.Contains(text, (await posts.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct)).Html);
        // The thread's news is sent in order: by the second post, a count sent after the first would be here.
        Assert.False(viewerHeard.Reader.TryRead(out _));
        var counts = new List<int>();
        while (counts.LastOrDefault() < 3)
            counts.Add((await listerHeard.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct)).PostCount);
        Assert.Equal([2, 3], counts);
    }

    [Fact]
    public async Task AListPageHearsOfNewThreadsInItsOwnCommunityOnly()
    {
        await using var neighbour = ConnectWith(await CookieAsync("5栋301"));
        await using var stranger = ConnectWith(await CookieAsync("1栋101", "syn0001"));
        var (heard, strangerHeard) = (Channel.CreateUnbounded<ThreadView>(), Channel.CreateUnbounded<ThreadView>());
        neighbour.On<ThreadView>("ThreadChanged", t => heard.Writer.TryWrite(t));
        stranger.On<ThreadView>("ThreadChanged", t => strangerHeard.Writer.TryWrite(t));
        await Task.WhenAll(neighbour.StartAsync(Ct), stranger.StartAsync(Ct));
        await neighbour.InvokeAsync("WatchList", Ct);
        await stranger.InvokeAsync("WatchList", Ct);

        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        await alice.PostAsJsonAsync("/api/tea/threads", new { title = "新议题", text = "大家好" }, Ct);
        var created = await heard.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(("新议题", "citong"), (created.Title, created.CommunityId));
        // The stranger heard nothing of it: the first thread they hear of is one of their own community's.
        var there = await ResidentWeb.SignInAsync(_app, "1栋101", communityId: "syn0001");
        await there.PostAsJsonAsync("/api/tea/threads", new { title = "那边的议题", text = "你好" }, Ct);
        var first = await strangerHeard.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(("那边的议题", "syn0001"), (first.Title, first.CommunityId));
    }
}
