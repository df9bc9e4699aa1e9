using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Tickets;

/// <summary>A repair reported in the chat becomes a ticket; its progress comes back into the same chat.</summary>
public sealed partial class TicketTests : IDisposable
{
    /// <remarks>Tickets are counted from those these tests open: the demo's own are removed.</remarks>
    private readonly LinliAppFactory _app = new LinliAppFactory().WithoutDemoTickets();
    private readonly DirectLineTestClient _dl;

    public TicketTests() => _dl = new DirectLineTestClient(_app.CreateClient());

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<string>> SayAsync(DirectLineTestClient.Started c, string text, string watermark)
    {
        await _dl.PostAsync(c, DirectLineTestClient.Message(text), ct: Ct);
        var (activities, _) = await _dl.GetAsync(c, watermark, ct: Ct);
        return activities.Where(a => a.GetProperty("from").GetProperty("role").GetString() == "bot")
            .Select(a => a.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "").ToList();
    }

    private async Task<string> Watermark(DirectLineTestClient.Started c) => (await _dl.GetAsync(c, ct: Ct)).Watermark;

    private const string OnePixelPng =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private async Task<string> UploadPhotosAsync(DirectLineTestClient.Started c)
    {
        using var form = new MultipartFormDataContent();
        foreach (var name in new[] { "leak-1.png", "leak-2.png" })
        {
            var photo = new ByteArrayContent(Convert.FromBase64String(OnePixelPng));
            photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(photo, "file", name);
        }
        var upload = $"/v3/directline/conversations/{c.ConversationId}/upload?userId=u";
        using var request = new HttpRequestMessage(HttpMethod.Post, upload) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
        (await _dl.Http.SendAsync(request, Ct)).EnsureSuccessStatusCode();
        return await Watermark(c);
    }

    [Fact]
    public async Task ARepairWithTwoPhotosBecomesATicketAndItsProgressReachesTheResident()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        await SayAsync(c, "我要报修", await Watermark(c));
        await SayAsync(c, "公共区域", await Watermark(c));
        // "3栋电梯" says where, and that it is the lift: the next question is what happened.
        var asked = await SayAsync(c, "3栋电梯", await Watermark(c));
        Assert.Contains("请简单说说是什么情况", asked.Last());
        await SayAsync(c, "电梯门关不上", await Watermark(c));
        await SayAsync(c, "很急", await Watermark(c));
        var said = await SayAsync(c, "对", await Watermark(c));
        var number = TicketNumber().Match(string.Join("\n", said)).Value;
        Assert.StartsWith("BX-", number);
        // The ticket exists before any photo; the photos sent after it are added to it.
        await UploadPhotosAsync(c);

        var tickets = _app.Services.GetRequiredService<TicketService>();
        var ticket = tickets.Find(number)!;
        Assert.Equal(("repair_request", "lift"), (ticket.Kind, ticket.Category));
        Assert.Equal(("urgent", TicketStatus.New), (ticket.Urgency, ticket.Status));
        Assert.Equal(("电梯门关不上", "3栋电梯", "asap"), (ticket.Text, ticket.Location, ticket.Answers["visit_time"]));
        Assert.Equal(TimeSpan.FromMinutes(30), ticket.RespondBy - ticket.CreatedAt);
        Assert.Equal(2, ticket.Attachments.Count);
        foreach (var url in ticket.Attachments)
            Assert.Equal("image/png", (await _dl.Http.GetAsync(url, Ct)).Content.Headers.ContentType?.MediaType);

        var before = await Watermark(c);
        var workflow = _app.Services.GetRequiredService<TicketWorkflow>();
        await workflow.ChangeStatusAsync(number, TicketStatus.InProgress, "张师傅", "预计十分钟到", Ct);
        var pushed = await _dl.WaitForAsync(c, before, ct: Ct);
        var text = Assert.Single(pushed).GetProperty("text").GetString();
        Assert.Contains(number, text);
        Assert.Contains("正在处理", text);
        Assert.Contains("预计十分钟到", text);
        Assert.Equal([TicketStatus.New, TicketStatus.InProgress], tickets.Find(number)!.History.Select(h => h.Status));
    }

    [Fact]
    public async Task TheSameMessageNeverOpensTwoTickets()
    {
        var tickets = _app.Services.GetRequiredService<TicketService>();
        var activity = new Linli.Bot.Schema.Activity
        {
            Type = "message", Id = "retried-1", ChannelId = "webchat", Conversation = new("c1"), From = new("u1"),
        };
        var said = new Dictionary<string, string> { ["description"] = "吵" };
        var first = tickets.Open("complaint", said, activity, "citong");
        var again = tickets.Open("complaint", said, activity, "citong");

        Assert.Equal(first.Number, again.Number);
        Assert.StartsWith("TS-", first.Number);
    }

    [Fact]
    public async Task AResentLastAnswerOpensOneTicketAndIsAnsweredOnce()
    {
        var chat = await ResidentChat.StartAsync(_app);
        foreach (var line in new[] { "隐患上报", "井盖缺失", "东门旁边", "有危险" }) await chat.SayAsync(line);
        // Web Chat's "retry" sends the same activity again, with the same clientActivityID.
        var first = await chat.SayAsync("对", id: "client-42");
        var again = await chat.SayAsync("对", id: "client-42");
        Assert.Contains("已上报隐患", first[0]);
        Assert.Empty(again);
        var hazards = new TicketQuery(Kind: "hazard_report");
        Assert.Single(_app.Services.GetRequiredService<ITicketStore>().Queue("citong", hazards, 0, 10));
    }

    [Fact]
    public async Task ATicketNumberIsAnsweredOnlyForTheResidentWhoseTicketItIs()
    {
        var reporter = await ResidentChat.StartAsync(_app);
        reporter.BindTo(_app.Services, "3栋502");
        foreach (var line in new[] { "报修", "家里", "电路", "插座没电了", "很急" }) await reporter.SayAsync(line);
        var number = TicketNumber().Match(string.Join("\n", await reporter.SayAsync("对"))).Value;
        await reporter.SayAsync("跳过");

        var asked = await reporter.SayAsync($"{number.ToLowerInvariant()} 怎么样了");
        Assert.Contains($"单子 {number} 已收到，正在安排", asked.Single());
        // Someone else in the same flat (a co-owner's own chat) may ask; a neighbour may not.
        var household = await ResidentChat.StartAsync(_app);
        household.BindTo(_app.Services, "3栋502");
        Assert.Contains("已收到", (await household.SayAsync(number)).Single());
        var neighbour = await ResidentChat.StartAsync(_app);
        neighbour.BindTo(_app.Services, "3栋501");
        var refused = (await neighbour.SayAsync($"{number} 进度")).Single();
        Assert.Contains("没找到您的单子", refused);
        Assert.DoesNotContain("插座", refused);

        await _app.Services.GetRequiredService<TicketWorkflow>()
            .ChangeStatusAsync(number, TicketStatus.InProgress, "张师傅", null, Ct);
        Assert.Contains("正在处理", (await reporter.ToldAsync()).Single());
        Assert.Contains("正在处理", (await reporter.SayAsync(number)).Single());
    }

    [GeneratedRegex(@"BX-\d{8}-\d{4}")]
    private static partial Regex TicketNumber();
}
