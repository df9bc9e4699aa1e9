using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Bot.Schema;
using Linli.StaffConsole;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Staff;

/// <summary>
/// What the console adds to the ticket API: asking the resident (the clock stops), internal notes, canned replies,
/// drafts.
/// </summary>
public sealed class ConsoleApiTests : IDisposable
{
    // Friday 2026-11-27 10:00 in China.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-27T10:00:00+08:00"));
    private readonly LinliAppFactory _app;

    public ConsoleApiTests() =>
        _app = new LinliAppFactory(new() { ["Tickets:Sla:complaint:normal:BusinessHours"] = "true" }, time: _clock);

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TicketService Tickets => _app.Services.GetRequiredService<TicketService>();

    /// <summary>A resident's message in Linli's own chat.</summary>
    internal static Activity Message(string id, string conversation) => new()
    {
        Type = "message", Id = id, ChannelId = "directline", Conversation = new(conversation),
        From = new("dl_0123456789abcdef"),
    };

    private async Task<(ResidentChat Chat, string Number)> ReportRepairAsync()
    {
        var chat = await ResidentChat.StartAsync(_app);
        foreach (var line in new[] { "报修", "公共区域", "2栋大堂", "电路", "大堂的灯不亮", "很急" }) await chat.SayAsync(line);
        var said = await chat.SayAsync("对");
        await chat.SayAsync("跳过");
        return (chat, System.Text.RegularExpressions.Regex.Match(string.Join("\n", said), @"BX-\d{8}-\d{4}").Value);
    }

    [Fact]
    public async Task AskingTheResidentStopsTheClockAndTheirAnswerStartsItAgain()
    {
        var (chat, number) = await ReportRepairAsync();
        var before = Tickets.Find(number)!;
        var staff = await StaffClient.SignInAsync(_app, "repair1");
        var asked = await staff.PatchAsJsonAsync($"/api/tickets/{number}",
            new { status = "WaitingOnResident", note = "请问是哪一盏灯？" }, Ct);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var question = "单子 " + number + " 需要您补充一点情况：\n请问是哪一盏灯？";
        Assert.Equal([question, "请直接在这里回复，我转给工作人员。"], await chat.ToldAsync(2));

        // Fifty minutes pass, past the 30-minute respond time: waiting on the resident is nobody's breach.
        _clock.Advance(TimeSpan.FromMinutes(50));
        await _app.Services.GetRequiredService<ServiceLevels>().CheckServiceLevelsAsync(Ct);
        var waiting = Tickets.Find(number)!;
        Assert.Equal(TicketStatus.WaitingOnResident, waiting.Status);
        Assert.Null(waiting.RespondBreachedAt);
        Assert.Null(waiting.ResolveBreachedAt);
        var view = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Ct);
        Assert.False(view.GetProperty("breached").GetBoolean());
        Assert.Equal(JsonValueKind.String, view.GetProperty("pausedAt").ValueKind);

        Assert.Equal(["收到，已转给工作人员，他们会接着处理，有进展会在这里告诉您。"],
            await chat.SayAsync("电梯口旁边那一盏"));
        var resumed = Tickets.Find(number)!;
        Assert.Equal(TicketStatus.InProgress, resumed.Status);
        Assert.Null(resumed.PausedAt);
        Assert.Equal("电梯口旁边那一盏", resumed.Messages.Last().Text);
        // The resolve-by time moved by exactly the time spent waiting.
        Assert.Equal(before.ResolveBy + TimeSpan.FromMinutes(50), resumed.ResolveBy);
    }

    [Fact]
    public void AComplaintCountedInBusinessHoursMadeOnSaturdayEveningIsDueOnMonday()
    {
        _clock.SetUtcNow(DateTimeOffset.Parse("2026-11-28T20:00:00+08:00"));
        var ticket = Tickets.Open("complaint", new Dictionary<string, string> { ["text"] = "广场舞太吵" },
            Message("a1", "c1"), "citong");
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T12:30:00+08:00"), ticket.RespondBy);
        // A repair stays round the clock (4 hours from 20:00 is midnight).
        var repair = Tickets.Open("repair_request", new Dictionary<string, string> { ["description"] = "漏水" },
            Message("a2", "c1"), "citong");
        Assert.Equal(DateTimeOffset.Parse("2026-11-29T00:00:00+08:00"), repair.RespondBy);
    }

    [Fact]
    public async Task InternalNotesStayWithStaffAndTheResidentHearsNothing()
    {
        var (chat, number) = await ReportRepairAsync();
        var staff = await StaffClient.SignInAsync(_app, "manager");
        var noted = await staff.PostAsJsonAsync($"/api/tickets/{number}/notes", new { text = "这户上次也报过，可能是线路老化" }, Ct);
        Assert.Equal(HttpStatusCode.OK, noted.StatusCode);
        var view = await noted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var note = Assert.Single(view.GetProperty("notes").EnumerateArray());
        Assert.Equal("这户上次也报过，可能是线路老化", note.GetProperty("text").GetString());
        Assert.Empty(await chat.HeardAsync());
        var empty = await staff.PostAsJsonAsync($"/api/tickets/{number}/notes", new { text = " " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EachCommunityEditsItsOwnCannedReplies()
    {
        var staff = await StaffClient.SignInAsync(_app, "service");
        var defaults = await staff.GetFromJsonAsync<string[]>("/api/communities/citong/canned-replies", Ct);
        Assert.Contains("您好，已收到您的反馈，我们正在安排，请稍等。", defaults!);

        const string replies = "/api/communities/citong/canned-replies";
        const string visit = "师傅明早九点上门。", stayIn = "请家里留人。";
        var put = await staff.PutAsJsonAsync(replies, new { items = new[] { visit, " ", visit, stayIn } }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal([visit, stayIn], (await staff.GetFromJsonAsync<string[]>(replies, Ct))!);
        var audit = _app.Services.GetRequiredService<Linli.Accounts.AuditTrail>();
        Assert.Contains(audit.For("citong", 5), e => e.Action == "canned_replies.set");

        var fiftyOne = Enumerable.Range(0, 51).Select(i => $"回复{i}");
        var tooMany = await staff.PutAsJsonAsync(replies, new { items = fiftyOne }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(2, (await staff.GetFromJsonAsync<string[]>(replies, Ct))!.Length);
    }

    [Fact]
    public async Task ConversationsAreForgottenAfterTheRetentionPeriod()
    {
        var (_, number) = await ReportRepairAsync();
        var reporter = Tickets.Find(number)!.Reporter;
        var conversation = TranscriptStore.Key(reporter.ChannelId, reporter.ConversationId);
        var transcripts = _app.Services.GetRequiredService<ITranscriptStore>();
        var now = _clock.GetUtcNow();
        // Two older messages of the same conversation: one just inside the 180 days, one just past them.
        foreach (var (days, text) in new[] { (-179, "半年前的话"), (-181, "更早的话") })
            await transcripts.AppendAsync([new TranscriptEntry
            {
                Conversation = conversation, At = now.AddDays(days), Role = "user", Text = text,
            }]);

        Assert.Equal(1, _app.Services.GetRequiredService<TranscriptStore>().Prune());
        var staff = await StaffClient.SignInAsync(_app, "service");
        var said = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}/conversation", Ct);
        var lines = said.EnumerateArray().Select(l => l.GetProperty("text").GetString()).ToList();
        Assert.Contains("半年前的话", lines);
        Assert.DoesNotContain("更早的话", lines);
        Assert.Contains("大堂的灯不亮", lines);
    }

    [Fact]
    public async Task WithoutAChatModelADraftIsPolitelyUnavailable()
    {
        var (_, number) = await ReportRepairAsync();
        var staff = await StaffClient.SignInAsync(_app, "service");
        var draft = await staff.PostAsync($"/api/tickets/{number}/draft", null, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, draft.StatusCode);
        var problem = await draft.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("No chat model is configured", problem.GetProperty("title").GetString());
    }
}

/// <summary>A draft reply from a chat model speaking the OpenAI API on a local port.</summary>
public sealed class DraftReplyTests : WithChatModel
{

    [Fact]
    public async Task TheDraftPromptCarriesTheTicketAndTheAnswerComesBackWithPhonesMasked()
    {
        var ct = TestContext.Current.CancellationToken;
        var ticket = App.Services.GetRequiredService<TicketService>().Open("repair_request",
            new Dictionary<string, string> { ["description"] = "厨房水管爆了", ["category"] = "水管漏水" },
            ConsoleApiTests.Message("d1", "c-draft"), "citong");
        Model.Reply = "您好，师傅 20 分钟内到，有事可拨 13912345678。";
        var staff = await StaffClient.SignInAsync(App, "service");
        var draft = await staff.PostAsync($"/api/tickets/{ticket.Number}/draft", null, ct);
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        var reply = await draft.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("您好，师傅 20 分钟内到，有事可拨 139****5678。",
            reply.GetProperty("text").GetString());

        var request = Model.Requests.Last();
        Assert.Equal("qwen-test", request.GetProperty("model").GetString());
        var messages = request.GetProperty("messages").EnumerateArray();
        var prompt = string.Join("\n", messages.Select(m => m.GetProperty("content").GetString()));
        Assert.Contains(ticket.Number, prompt);
        Assert.Contains("厨房水管爆了", prompt);
        Assert.Contains("简体中文", prompt);
    }
}
