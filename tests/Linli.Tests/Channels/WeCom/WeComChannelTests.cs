using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Linli.Bot.Schema;
using Linli.Channels.WeChat;
using Linli.Channels.WeCom;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linli.Tests.Channels.WeCom;

/// <summary>
/// The staff's WeCom app through the real host, with WeCom's API faked on loopback: the URL check, pages and
/// assignments reaching the right member's phone, and a member's "#单号 内容" reaching the resident's own chat as a
/// console reply does; anything not signed with the app's token is refused and leaves nothing behind.
/// </summary>
public sealed class WeComChannelTests : IAsyncLifetime
{
    private FakeWeCom _wecom = null!;
    private LinliAppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();
    private TicketService Tickets => _app.Services.GetRequiredService<TicketService>();
    private string PersonOf(string account) => Db.Accounts.FindById(account)!.PersonId;

    public async ValueTask InitializeAsync()
    {
        _wecom = await FakeWeCom.StartAsync();
        // Only the tickets these tests open: the demo's own would breach and page on their own schedule.
        _app = new LinliAppFactory(WeComMember.Settings(_wecom)).WithoutDemoTickets();
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _wecom.DisposeAsync();
    }

    private WeComMember Member(string userId) => new(_app.CreateClient(), userId);

    /// <summary>A resident in the chat page reports a fire; the emergency ticket it opened.</summary>
    private async Task<(ResidentChat Chat, Ticket Ticket)> EmergencyAsync()
    {
        var chat = await ResidentChat.StartAsync(_app);
        Assert.StartsWith("请先保证安全！", (await chat.SayAsync("着火了！"))[0]);
        var ticket = Db.Tickets.FindOne(t => t.Kind == "emergency" && t.Reporter.UserId == chat.UserId);
        Assert.NotNull(ticket);
        return (chat, ticket);
    }

    [Fact]
    public async Task TheUrlCheckAnswersTheOpenedEchostrOnlyWhenSigned()
    {
        var client = _app.CreateClient();
        var (timestamp, nonce) = ("1409659813", "1372623149");
        var echostr = WeComMember.Crypto().Encrypt("5927782489442352469");
        string Url(string token) =>
            $"/api/wecom?msg_signature={WeChatCrypto.Signature(token, timestamp, nonce, echostr)}" +
            $"&timestamp={timestamp}&nonce={nonce}&echostr={Uri.EscapeDataString(echostr)}";

        var answer = await client.GetAsync(Url(WeComMember.Token), Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("5927782489442352469", await answer.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Url("another-token"), Ct)).StatusCode);
    }

    [Fact]
    public async Task AnEmergencyPagesTheMemberOnDutyAndAnAssignmentFollowsWhenTheTokenHasExpired()
    {
        // The roster decides: the repair technician first; the manager, who has WeCom too, is not on duty.
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var roster = new { personIds = new[] { PersonOf("repair1"), PersonOf("service") } };
        Assert.Equal(HttpStatusCode.OK,
            (await manager.PutAsJsonAsync("/api/communities/citong/duty-roster", roster, Ct)).StatusCode);

        var (_, emergency) = await EmergencyAsync();
        var page = Assert.Single(await _wecom.WaitForTextsAsync("repair1", 1));
        Assert.StartsWith($"【紧急求助】{emergency.Number}\n地点：", page);
        Assert.Contains($"回复“#{emergency.Number} 内容”", page);
        var sent = Assert.Single(_wecom.Messages);
        Assert.Equal(("text", FakeWeCom.AgentId), (sent.Body.GetProperty("msgtype").GetString(),
            sent.Body.GetProperty("agentid").GetInt32()));
        Assert.Equal(1, _wecom.TokensIssued);

        // WeCom lets the token expire: the notice of a ticket given to the technician is refused once (42001),
        // a new token fetched, and it goes through.
        _wecom.ExpireToken();
        var repair = Tickets.Open("repair_request",
            new Dictionary<string, string> { ["description"] = "楼道灯不亮" },
            new Activity
            {
                Type = "message", Id = "wecom-a1", ChannelId = "directline", Conversation = new("c-w1"),
                From = new("dl_wecom_resident")
            }, "citong");
        var dispatch = new { action = "assign", to = PersonOf("repair1") };
        Assert.Equal(HttpStatusCode.OK,
            (await manager.PostAsJsonAsync($"/api/tickets/{repair.Number}/dispatch", dispatch, Ct)).StatusCode);
        var texts = await _wecom.WaitForTextsAsync("repair1", 2);
        Assert.Equal(2, texts.Count);
        Assert.StartsWith($"【新派单】{repair.Number}\n", texts[1]);
        Assert.Contains("内容：楼道灯不亮", texts[1]);
        Assert.Equal(2, _wecom.TokensIssued);
        Assert.DoesNotContain(_wecom.Messages, m => m.UserId == "manager");
        // The outbox lets go of a text once WeCom's answer is back, a moment after WeCom saw it.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (Db.TextOutbox.Count(t => t.Channel == "wecom") > 0 && DateTime.UtcNow < until) await Task.Delay(20, Ct);
        Assert.Equal(0, Db.TextOutbox.Count(t => t.Channel == "wecom"));
    }

    [Fact]
    public async Task AReplyFromWeComReachesTheResidentsChatOnceAndIsAudited()
    {
        var (chat, emergency) = await EmergencyAsync();
        var member = Member("repair1");

        var answer = $"#{emergency.Number} 师傅马上到，请先离开楼道";
        var reply = await member.SayAsync(answer, msgId: 42_000_001, ct: Ct);
        Assert.Equal($"{WeComReplies.Sent}（{emergency.Number}）。", reply);
        await chat.WaitForAsync("师傅马上到，请先离开楼道");
        // WeCom resends what it heard no answer to: once is enough.
        Assert.Null(await member.SayAsync(answer, msgId: 42_000_001, ct: Ct));

        var ticket = Tickets.Find(emergency.Number)!;
        var line = Assert.Single(ticket.Messages);
        Assert.Equal(Db.People.FindById(PersonOf("repair1"))!.Name, line.From);
        var audited = Assert.Single(Db.AuditLog.Find(e => e.Target == emergency.Number));
        Assert.Equal(("conversation.message", PersonOf("repair1"), "citong", "wecom"),
            (audited.Action, audited.PersonId, audited.CommunityId, audited.Detail));

        // The number without '#', and a repair's: the same way to the resident.
        var repair = Tickets.Open("repair_request", new Dictionary<string, string> { ["description"] = "水管漏水" },
            new Activity
            {
                Type = "message", Id = "wecom-a2", ChannelId = "directline",
                Conversation = new(chat.ConversationId), From = new(chat.UserId)
            }, "citong");
        Assert.StartsWith(WeComReplies.Sent, await member.SayAsync($"{repair.Number} 下午三点上门", ct: Ct));
        await chat.WaitForAsync("下午三点上门");
    }

    [Fact]
    public async Task WhatIsNotSignedWithTheAppsTokenIsRefusedAndLeavesNothing()
    {
        var (_, emergency) = await EmergencyAsync();
        var member = Member("repair1");
        var before = (Db.ProcessedActivities.Count(), Db.AuditLog.Count());

        var forged = await member.PostAsync(
            member.Message($"#{emergency.Number} 假消息"), Ct, token: "not-the-token");
        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);

        var client = _app.CreateClient();
        var timestamp = "1764650000";
        var malformed = "<xml><Encrypt>";
        var url = $"/api/wecom?msg_signature={WeChatCrypto.Signature(WeComMember.Token, timestamp, "1", "x")}" +
                  $"&timestamp={timestamp}&nonce=1";
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.PostAsync(url, new StringContent(malformed, null, "text/xml"), Ct)).StatusCode);
        var huge = new StringContent(new string('x', 70_000), null, "text/xml");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync(url, huge, Ct)).StatusCode);

        Assert.Empty(Tickets.Find(emergency.Number)!.Messages);
        Assert.Equal(before, (Db.ProcessedActivities.Count(), Db.AuditLog.Count()));
    }

    [Fact]
    public async Task AMessageCopiedFromALogAndSentLaterIsRefusedAndLeavesNothing()
    {
        var (_, emergency) = await EmergencyAsync();
        var member = Member("repair1");
        var before = (Db.ProcessedActivities.Count(), Db.AuditLog.Count());
        var message = member.Message($"#{emergency.Number} 重放的消息");

        var late = await member.PostAsync(message, Ct, sent: DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(HttpStatusCode.Forbidden, late.Status);
        Assert.Empty(Tickets.Find(emergency.Number)!.Messages);
        Assert.Equal(before, (Db.ProcessedActivities.Count(), Db.AuditLog.Count()));
        Assert.Contains(_app.Logs.AtLeast(LogLevel.Warning),
            m => Regex.IsMatch(m, @"^Refused a signed WeCom message stamped 60[0-2] s behind "));

        // Sent within minutes of Linli's clock, the same message is heard.
        var onTime = await member.PostAsync(message, Ct, sent: DateTimeOffset.UtcNow.AddMinutes(-2));
        Assert.Equal(HttpStatusCode.OK, onTime.Status);
        Assert.Single(Tickets.Find(emergency.Number)!.Messages);
    }

    [Fact]
    public async Task UnknownTicketsStrangersAndOtherCommunitiesGetAShortPoliteAnswer()
    {
        var member = Member("repair1");
        Assert.Equal(string.Format(WeComReplies.NoSuchTicket, "BX-20990101-0001"),
            await member.SayAsync("#bx-20990101-0001 您好", ct: Ct));
        Assert.Contains("请以单号开头", await member.SayAsync("收到", ct: Ct));

        var elsewhere = Tickets.Open("repair_request",
            new Dictionary<string, string> { ["description"] = "门禁坏了" },
            new Activity
            {
                Type = "message", Id = "wecom-a3", ChannelId = "directline", Conversation = new("c-w3"),
                From = new("dl_wecom_elsewhere")
            }, "syn0001");
        Assert.Equal(string.Format(WeComReplies.NotStaffHere, elsewhere.Number),
            await member.SayAsync($"#{elsewhere.Number} 我来修", ct: Ct));
        Assert.Empty(Tickets.Find(elsewhere.Number)!.Messages);

        // A member Linli does not know: a refusal, and nothing kept of them.
        var stranger = Member("zhangsan");
        Assert.Equal(WeComReplies.Stranger, await stranger.SayAsync($"#{elsewhere.Number} 你好", ct: Ct));
        Assert.False(Db.ProcessedActivities.Exists(p => p.Id.StartsWith("wecom|zhangsan|")));
        Assert.Empty(Db.AuditLog.Find(e => e.Target == elsewhere.Number));
    }
}

/// <summary>The office ties staff to their WeCom userids through the accounts API, audited.</summary>
public sealed class WeComAccountsTests : IDisposable
{
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdminSetsAndRemovesAWeComUserIdWhichStaysUnique()
    {
        var admin = await StaffClient.SignInAsync(_app, "admin");
        const string accounts = "/api/communities/citong/accounts";

        var set = await admin.PatchAsJsonAsync($"{accounts}/service", new { weComUserId = "LiuXiaomei" }, Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var view = await set.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        Assert.Equal("LiuXiaomei", view.GetProperty("weComUserId").GetString());
        // Still signed in: a WeCom userid changes nothing the account may do.
        var service = await StaffClient.SignInAsync(_app, "service");
        Assert.Equal(HttpStatusCode.OK,
            (await admin.PatchAsJsonAsync($"{accounts}/service", new { weComUserId = "LiuXM" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);

        // The demo's manager is "manager" in WeCom already; a userid WeCom would not take is refused.
        Assert.Equal(HttpStatusCode.Conflict,
            (await admin.PatchAsJsonAsync($"{accounts}/service", new { weComUserId = "manager" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await admin.PatchAsJsonAsync($"{accounts}/service", new { weComUserId = "刘 小梅" }, Ct)).StatusCode);

        var created = await admin.PostAsJsonAsync(accounts, new
        {
            userName = "repair3", name = "陈师傅", title = "维修工", roles = new[] { "Staff" },
            password = "Fresh-Start-2026!", weComUserId = "ChenShifu",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await admin.PatchAsJsonAsync($"{accounts}/service", new { weComUserId = "" }, Ct)).StatusCode);

        var db = _app.Services.GetRequiredService<LinliDatabase>();
        Assert.Null(db.People.FindById(db.Accounts.FindById("service")!.PersonId)!.WeComUserId);
        Assert.Equal("ChenShifu", db.People.FindById(db.Accounts.FindById("repair3")!.PersonId)!.WeComUserId);
        var audited = db.AuditLog.Find(e => e.Action.StartsWith("account.")).Select(e => e.Detail).ToList();
        Assert.Contains("wecom LiuXiaomei", audited);
        Assert.Contains("wecom removed", audited);
        Assert.Contains("Staff; wecom ChenShifu", audited);
    }
}
