using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Linli.Bot.Understanding;
using Linli.People;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Linli.Tickets;
using Linli.Understanding;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Bot;

/// <summary>
/// Understanding as residents meet it in the chat: emergencies heard during a handoff and stood down in one tap, a
/// dialog that waits out a handoff, "my tickets", replies in the resident's language, a question when unsure.
/// </summary>
public sealed class UnderstandingInConversationTests : IDisposable
{
    private sealed class RecordingPager : IStaffPager
    {
        public ConcurrentQueue<(string Number, string Reason)> Pages { get; } = new();
        public void Page(Ticket ticket, Person person, string reason) => Pages.Enqueue((ticket.Number, reason));
    }

    private readonly RecordingPager _pager = new();
    private readonly LinliAppFactory _app;

    public UnderstandingInConversationTests() =>
        _app = new LinliAppFactory(services: s => s.AddSingleton<IStaffPager>(_pager));

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();

    [Fact]
    public async Task DangerSaidToAPersonStillPagesTheDutyOfficerAndTellsTheResidentWhatToDo()
    {
        var chat = await ResidentChat.StartAsync(_app);
        chat.BindTo(_app.Services, "3栋502");
        await chat.SayAsync("转人工");
        var handoff = Db.Tickets.FindOne(t => t.Kind == "human_handoff").Number;
        var staff = await StaffClient.SignInAsync(_app, "service");
        var takenOver = await staff.PostAsync($"/api/tickets/{handoff}/takeover", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, takenOver.StatusCode);
        await chat.WaitForAsync("已接入");

        var said = await chat.SayAsync("我家厨房着火了");

        Assert.Contains("请先保证安全", Assert.Single(said));
        var emergency = Db.Tickets.FindOne(t => t.Kind == "emergency");
        Assert.Equal("我家厨房着火了", emergency.Text);
        Assert.Contains(_pager.Pages, p => p.Number == emergency.Number && p.Reason == "emergency");
        // The person handling the conversation sees it too.
        Assert.Contains(Db.Tickets.FindOne(t => t.Number == handoff).Messages, m => m.Text == "我家厨房着火了");
    }

    [Fact]
    public async Task NotAnEmergencyStandsTheAlarmDownAndTheReportGoesOnWithNothingLost()
    {
        var chat = await ResidentChat.StartAsync(_app);
        chat.BindTo(_app.Services, "3栋502");
        var said = await chat.SayAsync("楼道的配电箱一直在冒火花");
        Assert.Contains("请先保证安全", said[0]);
        var emergency = Db.Tickets.FindOne(t => t.Kind == "emergency");
        Assert.Contains(_pager.Pages, p => p.Number == emergency.Number);

        said = await chat.SayAsync("不是紧急情况");

        Assert.Contains($"已撤销紧急呼叫（{emergency.Number}）", said[0]);
        var closed = Db.Tickets.FindOne(t => t.Number == emergency.Number);
        Assert.Equal(TicketStatus.Closed, closed.Status);
        Assert.Contains("不是紧急情况", closed.History[^1].Note);
        // What the resident first said carries on into the report: only what is missing is asked, then it is said back.
        var confirmed = said.Last();
        // The answer to whichever step is asked: is it dangerous, where is it, what kind.
        static string Answer(string asked) =>
            asked.Contains("危险") ? "暂时没有" : asked.Contains("在哪") ? "3栋2楼楼道" : "其他";
        for (var i = 0; i < 3 && !confirmed.Contains("对吗？"); i++)
            confirmed = (await chat.SayAsync(Answer(confirmed))).Last();
        Assert.Contains("对吗？", confirmed);
        said = await chat.SayAsync("对");
        var report = Db.Tickets.FindOne(t => t.Kind != "emergency");
        Assert.Contains(report.Kind, new[] { "hazard_report", "repair_request" });
        Assert.Equal("楼道的配电箱一直在冒火花", report.Answers["said"]);
        Assert.Contains(report.Number, said[0]);
        // Standing down is a resident's word: nobody is told "closed" in the chat.
        Assert.DoesNotContain(await chat.HeardAsync(), h => h.Contains("已关闭"));
    }

    [Fact]
    public async Task OnlyTheButtonsWordsStandAnAlarmDownAndDangerOutranksEverythingElse()
    {
        var chat = await ResidentChat.StartAsync(_app);
        Assert.Contains("在哪里", (await chat.SayAsync("好多烟，快来人"))[^1]);

        // Inside the emergency, a cancel leaves the alarm standing, and more danger goes to the duty officer.
        Assert.Contains("紧急呼叫仍然有效", (await chat.SayAsync("算了"))[0]);
        var said = await chat.SayAsync("我妈已经晕倒了");
        Assert.Contains("已转告值班人员", said[0]);
        Assert.Contains("在哪里", said[^1]);
        Assert.Contains(Db.Tickets.FindOne(t => t.Kind == "emergency").Messages,
            m => m.Text == "我妈已经晕倒了");
        Assert.Contains("值班人员正在赶往", (await chat.SayAsync("3栋2楼"))[0]);

        // Said around the alarm, these do not call it off.
        await chat.SayAsync("不是误报");
        await chat.SayAsync("门锁坏了，不紧急");
        Assert.Equal(TicketStatus.New, Db.Tickets.FindOne(t => t.Kind == "emergency").Status);

        // Out of any dialog, danger comes before "my tickets".
        var other = await ResidentChat.StartAsync(_app);
        var heard = await other.SayAsync("Is anyone coming? My dad collapsed and isn't breathing");
        Assert.Contains("Stay safe first", heard[0]);
    }

    [Fact]
    public async Task ARepairLeftForAPersonGoesOnWhereItWasWhenTheConversationIsHandedBack()
    {
        var chat = await ResidentChat.StartAsync(_app);
        chat.BindTo(_app.Services, "3栋502");
        Assert.Contains("是哪一类问题？", (await chat.SayAsync("家里要报修")).Last());
        await chat.SayAsync("转人工");
        var handoff = Db.Tickets.FindOne(t => t.Kind == "human_handoff").Number;
        var staff = await StaffClient.SignInAsync(_app, "service");
        await staff.PostAsync($"/api/tickets/{handoff}/takeover", null, Ct);
        await chat.WaitForAsync("已接入");

        var handedBack = await staff.PostAsync($"/api/tickets/{handoff}/handback", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, handedBack.StatusCode);

        var heard = await chat.WaitForAsync("是哪一类问题？");
        Assert.Contains(heard, h => h.Contains("接着为您办刚才的事"));
        Assert.Contains("请简单说说是什么情况", (await chat.SayAsync("电路")).Last());
    }

    [Fact]
    public async Task MyRepairListsTheResidentsOpenTicketsAndNobodyElses()
    {
        var chat = await ResidentChat.StartAsync(_app);
        chat.BindTo(_app.Services, "3栋502");
        await chat.SayAsync("我家卫生间漏水了，想报修");
        var confirmation = string.Join("\n", await chat.SayAsync("对"));
        var number = System.Text.RegularExpressions.Regex.Match(confirmation, @"BX-\d{8}-\d{4}").Value;
        await chat.SayAsync("跳过");
        var neighbour = await ResidentChat.StartAsync(_app);
        neighbour.BindTo(_app.Services, "3栋501");

        var mine = Assert.Single(await chat.SayAsync("我的报修怎么样了"));
        var english = Assert.Single(await chat.SayAsync("how is my repair going?"));
        var theirs = Assert.Single(await neighbour.SayAsync("我的报修怎么样了"));

        Assert.Contains(number, mine);
        Assert.Contains("卫生间漏水", mine);
        Assert.Contains("已受理", mine);
        Assert.Contains(number, english);
        Assert.Contains("Your open tickets", english);
        Assert.DoesNotContain(number, theirs);
        Assert.Contains("没有在办的单子", theirs);
    }

    [Fact]
    public async Task RepliesFollowTheResidentsLanguageWhateverThePageSays()
    {
        var chat = await ResidentChat.StartAsync(_app, locale: "zh-CN");

        Assert.Contains("What would you like to know about your fees?",
            (await chat.SayAsync("I want to check my fees")).Single());
        // A flat number or a tapped button keeps the language; Chinese words bring Chinese back.
        Assert.Contains("How to pay: (1) at the property office", string.Join(" ", await chat.SayAsync("How to pay")));
        Assert.Contains("您好", (await chat.SayAsync("你好，我想问问")).First());
    }

    /// <summary>
    /// The local recognizer, except that it is unsure about one sentence: between a complaint and mediation. Which
    /// sentences the trained model is unsure about moves with its training (the test that used the model's own doubt
    /// failed when it grew sure of this one); what the router does with doubt is what is tested here.
    /// </summary>
    private sealed class UnsureRecognizer(LocalRecognizer local) : IRecognizer
    {
        public const string Sentence = "楼上漏水到我家了";

        public Task<RecognizerResult> RecognizeAsync(string text, string? locale, CancellationToken cancellationToken)
        {
            var known = local.Recognize(text);
            if (text != Sentence) return Task.FromResult(known);
            IntentScore[] unsure = [new(Intents.Complaint, 0.45), new(Intents.Mediation, 0.35)];
            // The rest keep their order, scaled into the 0.20 left: each under the two, all summing to 1 or less.
            var rest = known.Ranking.Where(r => !unsure.Any(u => u.Name == r.Name))
                .Select(r => r with { Confidence = r.Confidence * 0.2 });
            return Task.FromResult(known with { Intent = unsure[0], Ranking = [.. unsure, .. rest] });
        }
    }

    [Fact]
    public async Task UnsureBetweenTwoServicesTheBotAsksAndKeepsWhatWasSaid()
    {
        using var app = new LinliAppFactory(services: s =>
            s.AddSingleton<IRecognizer>(sp => new UnsureRecognizer(sp.GetRequiredService<LocalRecognizer>())));
        var chat = await ResidentChat.StartAsync(app);
        // Upstairs water coming through: to complain, or to have someone settle it? Neither is sure enough to guess.
        var question = Assert.Single(await chat.SayAsync(UnsureRecognizer.Sentence));
        var asked = System.Text.RegularExpressions.Regex.Match(question, "^您是想(.+)，还是(.+)？$");
        Assert.True(asked.Success, question);

        // The answer begins that service with the first sentence already taken: only what is missing is asked.
        var said = await chat.SayAsync(asked.Groups[1].Value);
        for (var i = 0; i < 4 && !said.Last().Contains("对吗？"); i++)
            said = await chat.SayAsync(said.Last().Contains("哪方面") ? "其他" : "3栋602");
        Assert.Contains(UnsureRecognizer.Sentence, said.Last());
        Assert.EndsWith("对吗？", said.Last());
    }

    [Fact]
    public async Task ThanksIsAnsweredAsThanks() =>
        Assert.Contains("不客气", (await (await ResidentChat.StartAsync(_app)).SayAsync("谢谢你们")).First());
}
