using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.People;
using Linli.Storage;
using Linli.TeaTable;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.TeaTable;

/// <summary>The tea table over HTTP: residents talk, volunteers moderate, owners vote, the committee sees the votes.</summary>
public sealed class TeaTableApiTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LinliAppFactory _app;

    public TeaTableApiTests() => _app = new LinliAppFactory(new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" }, time: _clock);

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await Json(response, expected);
    }

    private static async Task<int> StartThreadAsync(HttpClient who, string title = "充电桩装在哪里？", string text = "地下车库东侧有空位，大家觉得呢？", int? building = null) =>
        (await Json(await who.PostAsJsonAsync("/api/tea/threads", new { title, text, building }, Ct), HttpStatusCode.Created)).GetProperty("id").GetInt32();

    private static async Task<JsonElement> PostAsync(HttpClient who, int thread, string text, int? replyTo = null, HttpStatusCode expected = HttpStatusCode.Created) =>
        await Json(await who.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text, replyTo }, Ct), expected);

    [Fact]
    public async Task NeighboursStartAThreadReplyQuoteReactAndPageThroughIt()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var bob = await ResidentWeb.SignInAsync(_app, "5栋301");
        var thread = await StartThreadAsync(alice);
        var first = (await Json(await bob.GetAsync($"/api/tea/threads/{thread}", Ct), HttpStatusCode.OK)).GetProperty("posts")[0].GetProperty("id").GetInt32();

        var reply = await PostAsync(bob, thread, "同意，**东侧**离电房近。", replyTo: first);
        Assert.Equal(first, reply.GetProperty("replyTo").GetInt32());
        // Neighbours appear by surname and building, not by full name; staff by title and name.
        Assert.Matches(@"^\p{L}\*{1,2} · 5栋$", reply.GetProperty("authorName").GetString());
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var staffPost = await PostAsync(manager, thread, "物业会配合。");
        Assert.StartsWith("物业经理 ", staffPost.GetProperty("authorName").GetString());
        Assert.Contains("<strong>东侧</strong>", reply.GetProperty("html").GetString());
        var reacted = await Json(await alice.PostAsJsonAsync($"/api/tea/posts/{reply.GetProperty("id").GetInt32()}/reactions", new { emoji = "👍" }, Ct), HttpStatusCode.OK);
        Assert.Equal(1, reacted.GetProperty("reactions").GetProperty("👍").GetInt32());
        Assert.Equal(["👍"], reacted.GetProperty("mine").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PostAsJsonAsync($"/api/tea/posts/{first}/reactions", new { emoji = "<b>" }, Ct)).StatusCode);

        for (var i = 0; i < 5; i++) { _clock.Advance(TimeSpan.FromSeconds(15)); await PostAsync(i % 2 == 0 ? alice : bob, thread, $"第{i}条"); }
        var latest = await Json(await alice.GetAsync($"/api/tea/threads/{thread}?take=3", Ct), HttpStatusCode.OK);
        Assert.Equal(["第2条", "第3条", "第4条"], latest.GetProperty("posts").EnumerateArray().Select(p => StripP(p.GetProperty("html").GetString())));
        Assert.True(latest.GetProperty("more").GetBoolean());
        var older = await Json(await alice.GetAsync($"/api/tea/threads/{thread}?take=3&before={latest.GetProperty("posts")[0].GetProperty("id").GetInt32()}", Ct), HttpStatusCode.OK);
        Assert.Equal(3, older.GetProperty("posts").GetArrayLength());
        var after = await Json(await alice.GetAsync($"/api/tea/threads/{thread}?after={first}", Ct), HttpStatusCode.OK);
        Assert.Equal(7, after.GetProperty("posts").GetArrayLength());
        Assert.Equal(8, after.GetProperty("thread").GetProperty("postCount").GetInt32());

        var list = await Json(await bob.GetAsync("/api/tea/threads", Ct), HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("id").GetInt32() == thread && t.GetProperty("title").GetString() == "充电桩装在哪里？");

        // Another community's residents do not see it at all.
        var stranger = await ResidentWeb.SignInAsync(_app, "1栋101", communityId: "syn0001");
        await Problem(await stranger.GetAsync($"/api/tea/threads/{thread}", Ct), HttpStatusCode.NotFound);
        Assert.DoesNotContain((await Json(await stranger.GetAsync("/api/tea/threads", Ct), HttpStatusCode.OK)).EnumerateArray(), t => t.GetProperty("id").GetInt32() == thread);
        await Problem(await _app.CreateClient().GetAsync("/api/tea/threads", Ct), HttpStatusCode.Unauthorized);
    }

    private static string StripP(string? html) => (html ?? "").Replace("<p>", "").Replace("</p>", "").Trim();

    [Theory]
    [InlineData("<script>alert(1)</script>你好")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[点我](javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">点我</a>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("[x](JaVaScRiPt:alert(1))")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">x</div>")]
    public void PostsRenderInert(string text)
    {
        // Read the result as a browser would: no active element, no event handler, no script URL, no style (what is
        // left of the input may be shown as text, which is harmless).
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body>" + PostRenderer.Render(text) + "</body>");
        var elements = document.Body!.QuerySelectorAll("*").ToList();
        Assert.DoesNotContain(elements, e => e.LocalName is "script" or "iframe" or "svg" or "object" or "embed" or "style" or "form");
        foreach (var element in elements)
        foreach (var attribute in element.Attributes)
        {
            Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{element.LocalName} has {attribute.Name}");
            Assert.NotEqual("style", attribute.Name);
            Assert.False(attribute.Value.Trim().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase), $"{element.LocalName} {attribute.Name}={attribute.Value}");
        }
    }

    [Fact]
    public void SafeFormattingAndLinksSurvive()
    {
        var html = PostRenderer.Render("**重要**：见 https://example.org/rules 和 [公告](https://example.org/n)\n- 一\n- 二");
        Assert.Contains("<strong>重要</strong>", html);
        Assert.Contains("href=\"https://example.org/n\"", html);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html);
        Assert.Contains("<li>一</li>", html);
    }

    [Fact]
    public async Task VolunteersHideLockSlowDownAndMuteAndEveryActionIsLogged()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var bob = await ResidentWeb.SignInAsync(_app, "5栋301");
        var volunteer = await StaffClient.SignInAsync(_app, "volunteer1");
        var thread = await StartThreadAsync(alice, "广场舞时间", "晚上九点以后还在跳，太吵了。");
        var rude = await PostAsync(bob, thread, "你管得着吗？");
        var rudeId = rude.GetProperty("id").GetInt32();

        // A resident flags; a resident may not hide.
        Assert.Equal(HttpStatusCode.Accepted, (await alice.PostAsJsonAsync($"/api/tea/posts/{rudeId}/flags", new { reason = "不文明" }, Ct)).StatusCode);
        await Problem(await alice.PostAsJsonAsync($"/api/tea/posts/{rudeId}/hide", new { reason = "不文明" }, Ct), HttpStatusCode.Forbidden);
        var queue = await Json(await volunteer.GetAsync("/api/tea/review", Ct), HttpStatusCode.OK);
        Assert.Contains(queue.EnumerateArray(), p => p.GetProperty("id").GetInt32() == rudeId && p.GetProperty("flags").GetInt32() == 1);
        await Problem(await alice.GetAsync("/api/tea/review", Ct), HttpStatusCode.Forbidden);

        // Hidden: gone for residents, kept for moderators; a reason is required.
        await Problem(await volunteer.PostAsJsonAsync($"/api/tea/posts/{rudeId}/hide", new { reason = " " }, Ct), HttpStatusCode.BadRequest);
        await Json(await volunteer.PostAsJsonAsync($"/api/tea/posts/{rudeId}/hide", new { reason = "人身攻击" }, Ct), HttpStatusCode.OK);
        var seen = await Json(await alice.GetAsync($"/api/tea/threads/{thread}", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(seen.GetProperty("posts").EnumerateArray(), p => p.GetProperty("id").GetInt32() == rudeId);
        var moderated = await Json(await volunteer.GetAsync($"/api/tea/threads/{thread}", Ct), HttpStatusCode.OK);
        var hidden = moderated.GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("id").GetInt32() == rudeId);
        Assert.Equal("人身攻击", hidden.GetProperty("hidden").GetProperty("reason").GetString());
        Assert.StartsWith("志愿者 ", hidden.GetProperty("hidden").GetProperty("by").GetString());
        Assert.Equal("", hidden.GetProperty("html").GetString());

        // Slow mode: one post per 60 s per person.
        await Json(await volunteer.PutAsJsonAsync($"/api/tea/threads/{thread}/slow-mode", new { seconds = 60 }, Ct), HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromSeconds(61));
        await PostAsync(alice, thread, "我们可以约个时间谈谈。");
        var slow = await Problem(await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "再补充一句" }, Ct), (HttpStatusCode)429);
        Assert.Equal("Slow mode", slow.GetProperty("title").GetString());

        // Muted: refused with a clear message, until the mute ends.
        var bobId = Db.People.FindAll().First(p => p.Units.Any(b => b.Relation == UnitRelation.Owner && Db.Units.FindById(b.UnitId)!.Label == "5栋301")).Id;
        await Json(await volunteer.PostAsJsonAsync("/api/tea/mutes", new { personId = bobId, minutes = 60, reason = "屡次人身攻击" }, Ct), HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var muted = await Problem(await bob.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "我错了" }, Ct), HttpStatusCode.Forbidden);
        Assert.Contains("屡次人身攻击", muted.GetProperty("detail").GetString());

        // Locked: nobody posts.
        await Json(await volunteer.PostAsJsonAsync($"/api/tea/threads/{thread}/lock", new { reason = "冷静一下" }, Ct), HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var locked = await Problem(await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "还有一点" }, Ct), HttpStatusCode.Conflict);
        Assert.Contains("冷静一下", locked.GetProperty("detail").GetString());

        var manager = await StaffClient.SignInAsync(_app, "manager");
        var audit = await Json(await manager.GetAsync("/api/communities/citong/audit", Ct), HttpStatusCode.OK);
        var actions = audit.EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("detail").GetString())).ToList();
        Assert.Contains(("tea.hide", "人身攻击"), actions);
        Assert.Contains(("tea.slow_mode", "60 s"), actions);
        Assert.Contains(("tea.mute", "60 min: 屡次人身攻击"), actions);
        Assert.Contains(("tea.lock", "冷静一下"), actions);
    }

    [Fact]
    public async Task AFloodIsRefused()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice);
        for (var i = 0; i < 5; i++) await PostAsync(alice, thread, $"刷屏{i}");
        var refused = await Problem(await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "再来" }, Ct), (HttpStatusCode)429);
        Assert.Equal("Too many posts", refused.GetProperty("title").GetString());
        Assert.Equal(6, Db.TeaPosts.Count(p => p.ThreadId == thread));
    }

    [Fact]
    public async Task AnOwnerOfTwoFlatsHasOneStanceWhicheverFlatTheySignedInFor()
    {
        var owner = Db.People.FindAll().First(p => !p.IsOrganization && p.CommunityId == "citong"
            && p.Units.Count(b => b.Relation == UnitRelation.Owner) >= 2);
        var flats = owner.Units.Where(b => b.Relation == UnitRelation.Owner).Take(2).Select(b => Db.Units.FindById(b.UnitId)).ToList();
        async Task<HttpClient> AsOwnerOf(Linli.Communities.Unit unit)
        {
            var link = _app.Services.GetRequiredService<Linli.Accounts.ResidentLinks>().Create(new Linli.Residents.ResidentBinding
            {
                Id = "web-test|" + unit.Id, CommunityId = "citong", UnitId = unit.Id, PersonId = owner.Id, BoundAt = _clock.GetUtcNow(),
            });
            var http = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
            Assert.Equal(HttpStatusCode.Redirect, (await ResidentWeb.FollowAsync(http, link)).StatusCode);
            return http;
        }
        var first = await AsOwnerOf(flats[0]);
        var second = await AsOwnerOf(flats[1]);
        var thread = await StartThreadAsync(first, "小区大门改造", "全体业主表决");
        await Json(await first.PutAsJsonAsync($"/api/tea/threads/{thread}/proposal",
            new { text = "改造大门", matter = "Other", deadline = _clock.GetUtcNow().AddDays(2) }, Ct), HttpStatusCode.OK);

        await Json(await first.PutAsJsonAsync($"/api/tea/threads/{thread}/vote", new { stance = "agree" }, Ct), HttpStatusCode.OK);
        var tally = (await Json(await second.PutAsJsonAsync($"/api/tea/threads/{thread}/vote", new { stance = "disagree" }, Ct), HttpStatusCode.OK))
            .GetProperty("vote").GetProperty("tally");
        // One person: counted once, on the side they took last, with the area of both flats.
        Assert.Equal(0, tally.GetProperty("agree").GetProperty("owners").GetInt32());
        Assert.Equal(1, tally.GetProperty("disagree").GetProperty("owners").GetInt32());
        Assert.Equal(1, tally.GetProperty("participating").GetProperty("owners").GetInt32());
        Assert.Equal(flats.Sum(f => f.Area), tally.GetProperty("disagree").GetProperty("area").GetDecimal());
    }

    [Fact]
    public async Task OwnersVoteTheCommitteeSeesWhoVotedWhatAndTheDeadlineLocksIt()
    {
        var owner = await ResidentWeb.SignInAsync(_app, "2栋201");
        var tenantUnit = Db.People.FindAll().First(p => p.Units.Any(b => b.Relation == UnitRelation.Tenant));
        var tenant = await ResidentWeb.SignInAsync(_app, Db.Units.FindById(tenantUnit.Units.First(b => b.Relation == UnitRelation.Tenant).UnitId)!.Label, UnitRelation.Tenant);
        var thread = await StartThreadAsync(owner, "2栋电梯加装扶手", "用公维金给2栋电梯加扶手。", building: 2);
        await Problem(await owner.PutAsJsonAsync($"/api/tea/threads/{thread}/proposal", new { text = "动用公维金", matter = "Nonsense", deadline = _clock.GetUtcNow().AddDays(2) }, Ct), HttpStatusCode.BadRequest);
        var proposed = await Json(await owner.PutAsJsonAsync($"/api/tea/threads/{thread}/proposal",
            new { text = "动用公维金 1.2 万元给 2 栋电梯加装扶手", matter = "UseFund", deadline = _clock.GetUtcNow().AddHours(3) }, Ct), HttpStatusCode.OK);
        var total = proposed.GetProperty("vote").GetProperty("tally").GetProperty("total");
        var building2 = Db.Units.Find(u => u.CommunityId == "citong" && u.BuildingNumber == 2).ToList();
        Assert.Equal(building2.Sum(u => u.Area), total.GetProperty("area").GetDecimal());

        var voted = await Json(await owner.PutAsJsonAsync($"/api/tea/threads/{thread}/vote", new { stance = "agree", reason = "老人多，需要扶手" }, Ct), HttpStatusCode.OK);
        var unit = Db.Units.FindOne(u => u.CommunityId == "citong" && u.BuildingNumber == 2 && u.Room == "201");
        var agree = voted.GetProperty("vote").GetProperty("tally").GetProperty("agree");
        Assert.Equal((unit.Area, 1), (agree.GetProperty("area").GetDecimal(), agree.GetProperty("owners").GetInt32()));
        Assert.Equal("Agree", voted.GetProperty("vote").GetProperty("myStance").GetString());
        // Changing one's mind replaces the vote: still one unit.
        voted = await Json(await owner.PutAsJsonAsync($"/api/tea/threads/{thread}/vote", new { stance = "abstain" }, Ct), HttpStatusCode.OK);
        Assert.Equal(1, voted.GetProperty("vote").GetProperty("tally").GetProperty("participating").GetProperty("owners").GetInt32());
        Assert.Equal(0, voted.GetProperty("vote").GetProperty("tally").GetProperty("agree").GetProperty("owners").GetInt32());

        await Problem(await tenant.PutAsJsonAsync($"/api/tea/threads/{thread}/vote", new { stance = "agree" }, Ct), HttpStatusCode.Forbidden);
        // Who voted what: the committee, not everyone.
        await Problem(await owner.GetAsync($"/api/tea/threads/{thread}/votes", Ct), HttpStatusCode.Forbidden);
        var committee = await StaffClient.SignInAsync(_app, "committee1");
        var votes = await Json(await committee.GetAsync($"/api/tea/threads/{thread}/votes", Ct), HttpStatusCode.OK);
        var vote = Assert.Single(votes.EnumerateArray());
        Assert.Equal(("2栋201", "Abstain"), (vote.GetProperty("unit").GetString(), vote.GetProperty("stance").GetString()));

        // The deadline passes: the count is final and nobody votes any more.
        _clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));
        _app.Services.GetRequiredService<TeaTableTimers>().RunTimers();
        var closed = await Problem(await owner.PutAsJsonAsync($"/api/tea/threads/{thread}/vote", new { stance = "agree" }, Ct), HttpStatusCode.Conflict);
        Assert.Equal("Voting has closed", closed.GetProperty("title").GetString());
        var final = await Json(await owner.GetAsync($"/api/tea/threads/{thread}", Ct), HttpStatusCode.OK);
        Assert.False(final.GetProperty("thread").GetProperty("vote").GetProperty("open").GetBoolean());
        Assert.Equal("NoQuorum", final.GetProperty("thread").GetProperty("vote").GetProperty("tally").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AThreadClosesWithAConclusionLinkedToItsFollowUpTicket()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice, "楼道灯太暗", "3栋楼道的灯换成亮一点的吧。");
        var ticket = _app.Services.GetRequiredService<Linli.Tickets.TicketService>().Open("repair_request", new Dictionary<string, string> { ["description"] = "3栋楼道换灯" },
            new Linli.Bot.Schema.Activity { Type = "message", Id = "t1", ChannelId = "directline", Conversation = new("c"), From = new("u") }, "citong");
        var volunteer = await StaffClient.SignInAsync(_app, "volunteer1");
        await Problem(await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/close", new { conclusion = "换灯" }, Ct), HttpStatusCode.Forbidden);
        await Problem(await volunteer.PostAsJsonAsync($"/api/tea/threads/{thread}/close", new { conclusion = "换灯", tickets = new[] { "BX-20000101-0001" } }, Ct), HttpStatusCode.BadRequest);
        var closed = await Json(await volunteer.PostAsJsonAsync($"/api/tea/threads/{thread}/close",
            new { conclusion = "物业本周把 3 栋楼道灯换成 LED", followUpBy = "物业客服", due = "2026-12-05", tickets = new[] { ticket.Number } }, Ct), HttpStatusCode.OK);
        Assert.True(closed.GetProperty("closed").GetBoolean());
        Assert.Equal(ticket.Number, closed.GetProperty("conclusion").GetProperty("tickets")[0].GetString());
        await Problem(await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "谢谢" }, Ct), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TimersCloseAThreadAndOpenItAgain()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var thread = await StartThreadAsync(alice);
        var volunteer = await StaffClient.SignInAsync(_app, "volunteer1");
        await Json(await volunteer.PutAsJsonAsync($"/api/tea/threads/{thread}/schedule",
            new { closeAt = _clock.GetUtcNow().AddMinutes(10), reopenAt = _clock.GetUtcNow().AddMinutes(70) }, Ct), HttpStatusCode.OK);
        var service = _app.Services.GetRequiredService<TeaTableTimers>();
        _clock.Advance(TimeSpan.FromMinutes(11));
        service.RunTimers();
        await Problem(await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "还能说吗" }, Ct), HttpStatusCode.Conflict);
        _clock.Advance(TimeSpan.FromMinutes(60));
        service.RunTimers();
        await PostAsync(alice, thread, "又可以说了");
    }

    [Fact]
    public async Task WithoutAModelTheSummaryIsTheMostReactedPostsAndTheCount()
    {
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var bob = await ResidentWeb.SignInAsync(_app, "5栋301");
        var thread = await StartThreadAsync(alice, "停车收益怎么用", "建议用来修健身器材。");
        var popular = (await PostAsync(bob, thread, "我觉得先补公维金。")).GetProperty("id").GetInt32();
        await alice.PostAsJsonAsync($"/api/tea/posts/{popular}/reactions", new { emoji = "👍" }, Ct);
        var summary = await Json(await alice.GetAsync($"/api/tea/threads/{thread}/summary", Ct), HttpStatusCode.OK);
        Assert.Equal("offline", summary.GetProperty("source").GetString());
        Assert.StartsWith("2 条发言，2 位邻居参与。", summary.GetProperty("text").GetString());
        Assert.Contains("我觉得先补公维金。（1 人回应）", summary.GetProperty("text").GetString());
        Assert.Equal(popular, summary.GetProperty("mostReacted")[0].GetProperty("id").GetInt32());
    }
}

/// <summary>With a chat model configured, the summary comes from prompts/TeaTable/summarize.yaml.</summary>
public sealed class TeaTableModelSummaryTests : WithChatModel
{

    [Fact]
    public async Task TheModelSummarisesThePostsAndTheTally()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = await ResidentWeb.SignInAsync(App, "3栋501");
        var created = await (await alice.PostAsJsonAsync("/api/tea/threads", new { title = "停车收益怎么用", text = "建议修健身器材。" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Model.Reply = "大家倾向于先修健身器材；有人担心费用，联系电话 13912345678。";
        var summary = await (await alice.GetAsync($"/api/tea/threads/{created.GetProperty("id").GetInt32()}/summary", ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("model", summary.GetProperty("source").GetString());
        Assert.Equal("大家倾向于先修健身器材；有人担心费用，联系电话 139****5678。", summary.GetProperty("text").GetString());
        var prompt = string.Join("\n", Model.Requests.Last().GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
        Assert.Contains("停车收益怎么用", prompt);
        Assert.Contains("建议修健身器材。", prompt);
    }
}

/// <summary>Images in posts: uploaded once, shown only to the community's people.</summary>
public sealed class TeaTableImageTests : IDisposable
{
    private readonly LinliAppFactory _app = new(new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AnImageGoesWithAPostAndStaysInTheCommunity()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        using var form = new MultipartFormDataContent();
        var png = new ByteArrayContent(Convert.FromBase64String(ResidentChat.OnePixelPng));
        png.Headers.ContentType = new("image/png");
        form.Add(png, "file", "charger.png");
        var uploaded = await alice.PostAsync("/api/tea/files", form, ct);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var url = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("url").GetString()!;

        var thread = (await (await alice.PostAsJsonAsync("/api/tea/threads", new { title = "充电桩位置", text = "见图" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt32();
        var post = await (await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts",
            new { text = "东侧这块空地", attachments = new[] { url, "https://evil.example/x.png", "javascript:alert(1)" } }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal([url], post.GetProperty("attachments").EnumerateArray().Select(a => a.GetString()));

        var bob = await ResidentWeb.SignInAsync(_app, "5栋301");
        var image = await bob.GetAsync(url, ct);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Convert.FromBase64String(ResidentChat.OnePixelPng), await image.Content.ReadAsByteArrayAsync(ct));
        var stranger = await ResidentWeb.SignInAsync(_app, "1栋101", communityId: "syn0001");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(url, ct)).StatusCode);

        // Another resident's image cannot be attached to one's own post.
        var bobs = await (await bob.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = "我也贴", attachments = new[] { url } }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Empty(bobs.GetProperty("attachments").EnumerateArray());
    }

    [Theory]
    [InlineData("image/png", "x.html")]
    [InlineData("image/jpeg", "photo.jpg")]
    [InlineData("text/html", "x.html")]
    public async Task AnythingButAnImageIsRefusedWhateverItsNameOrDeclaredType(string declared, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var db = _app.Services.GetRequiredService<Linli.Storage.LinliDatabase>();
        var before = db.FileStorage.FindAll().Count();
        using var form = new MultipartFormDataContent();
        var script = new ByteArrayContent("<html><script>alert(document.cookie)</script></html>"u8.ToArray());
        script.Headers.ContentType = new(declared);
        form.Add(script, "file", name);
        var response = await alice.PostAsync("/api/tea/files", form, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, db.FileStorage.FindAll().Count());
    }

    [Fact]
    public async Task AnImageIsServedAsItsBytesSayWithAFileNameAndASandbox()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        using var form = new MultipartFormDataContent();
        var gif = new ByteArrayContent([.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0, .. "<script>alert(1)</script>"u8]);
        gif.Headers.ContentType = new("text/html");
        form.Add(gif, "file", "x.html");
        var uploaded = await alice.PostAsync("/api/tea/files", form, ct);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var image = await alice.GetAsync((await uploaded.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("url").GetString(), ct);
        Assert.Equal("image/gif", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", image.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Matches("^inline; filename=\"?[0-9a-z-]+\\.gif\"?$", image.Content.Headers.ContentDisposition?.ToString() ?? "");
    }
}
