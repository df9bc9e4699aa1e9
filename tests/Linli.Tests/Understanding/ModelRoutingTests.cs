using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Understanding;

/// <summary>
/// The chat-model path through Semantic Kernel's real OpenAI connector, against a fake model on loopback.
/// </summary>
public sealed class ModelRoutingTests : WithChatModel
{
    protected override Dictionary<string, string?> Settings => new() { ["ChatModel:TimeoutMilliseconds"] = "1000" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> ParseAsync(string text)
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/nlu/parse", new { text }, Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task TheModelRoutesAndFillsSlotsWithAToolCallAtTemperatureZero()
    {
        // Something the offline classifier would call a greeting; the model's answer must win.
        Model.Arguments = new() { ["intent"] = "tea_table", ["unit"] = "3栋502" };
        var parsed = await ParseAsync("你好，3栋502想聊聊");

        Assert.Equal("tea_table", parsed.GetProperty("intent").GetProperty("name").GetString());
        Assert.Equal(1.0, parsed.GetProperty("intent").GetProperty("confidence").GetDouble());
        Assert.Contains(parsed.GetProperty("entities").EnumerateArray(),
            e => e.GetProperty("value").GetString() == "3栋502");

        var request = Assert.Single(Model.Requests);
        Assert.Equal("qwen-test", request.GetProperty("model").GetString());
        Assert.Equal(0, request.GetProperty("temperature").GetDouble());
        var tool = request.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("Router-route", tool.GetProperty("name").GetString());
        Assert.Equal("required", request.GetProperty("tool_choice").GetString());
        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Contains("fee_query, repair_request", messages[0].GetProperty("content").GetString());
        Assert.Equal("你好，3栋502想聊聊", messages[^1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task AnAnswerOffTheListFallsBackToTheClassifier()
    {
        Model.Arguments = new() { ["intent"] = "order_pizza" };
        var parsed = await ParseAsync("厨房水龙头坏了，一直滴水");
        Assert.Equal("repair_request", parsed.GetProperty("intent").GetProperty("name").GetString());
        Assert.Single(Model.Requests);
    }

    [Fact]
    public async Task AnEmergencyNeverWaitsOnTheModel()
    {
        // The guard hears the danger before anything else; the model is not even asked, however slow it is.
        Model.Delay = TimeSpan.FromSeconds(10);
        Model.Arguments = new() { ["intent"] = "none" };
        // Started and trained before the clock runs.
        _ = App.Services.GetRequiredService<Linli.Bot.Understanding.IRecognizer>();
        var clock = Stopwatch.StartNew();
        var parsed = await ParseAsync("电梯里有人被困住了");

        Assert.Equal("emergency", parsed.GetProperty("intent").GetProperty("name").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Empty(Model.Requests);
    }

    [Fact]
    public async Task ASlowModelFallsBackToTheClassifierWithinTheTimeout()
    {
        Model.Delay = TimeSpan.FromSeconds(10);
        var clock = Stopwatch.StartNew();
        var parsed = await ParseAsync("楼道的灯坏了好几天了");

        Assert.Equal("repair_request", parsed.GetProperty("intent").GetProperty("name").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.Single(Model.Requests);
    }

    [Fact]
    public async Task OneModelCallRoutesAndFillsTheRepairSoOnlyTheConfirmationIsLeft()
    {
        // Words no lexicon knows; the model says where, what kind and what, in the same tool call.
        Model.Arguments = new()
        {
            ["intent"] = "repair_request", ["area"] = "in_unit", ["problem"] = "electrical",
            ["summary"] = "客厅顶上那个东西不亮了", ["urgency"] = "urgent",
        };
        var chat = await ResidentChat.StartAsync(App);
        chat.BindTo(App.Services, "3栋502");

        var said = await chat.SayAsync("客厅顶上那个东西不亮了，麻烦尽快弄一下");

        Assert.Equal("3栋502 客厅顶上那个东西不亮了，尽快上门维修（很急），对吗？",
            Assert.Single(said));
        var tool = Model.Requests.Last().GetProperty("tools")[0].GetProperty("function");
        var schema = tool.GetProperty("parameters").GetProperty("properties");
        foreach (var slot in new[] { "intent", "area", "problem", "summary", "when", "urgency" })
            Assert.True(schema.TryGetProperty(slot, out _), slot);
    }
}

public sealed class KernelPluginTests : IDisposable
{
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheKernelFromDiCarriesTheFeaturePlugins()
    {
        var kernel = _app.Services.GetRequiredService<Microsoft.SemanticKernel.Kernel>();
        Assert.Contains(kernel.Plugins, p => p.Name == "Router");

        var answer = await kernel.InvokeAsync<string>("Fees", "collection_rate",
            new() { ["communityId"] = "citong", ["period"] = "2026-06" }, TestContext.Current.CancellationToken);
        Assert.StartsWith("2026-06: billed ", answer);
        Assert.Contains("collection rate", answer);

        var ct = TestContext.Current.CancellationToken;
        // The demo's queue, then one hazard more: counted by kind.
        static int Count(string summary, string pattern) =>
            System.Text.RegularExpressions.Regex.Match(summary, pattern) is { Success: true } m
                ? int.Parse(m.Groups[1].Value)
                : 0;
        Task<string?> Ask(string plugin, string function) =>
            kernel.InvokeAsync<string>(plugin, function, new() { ["communityId"] = "citong" }, ct);
        var before = await Ask("Tickets", "queue_summary");
        var tickets = _app.Services.GetRequiredService<Linli.Tickets.TicketService>();
        var reported = new Linli.Bot.Schema.Activity
        {
            Id = "a1", ChannelId = "t", Conversation = new("c"), From = new("u"),
        };
        tickets.Open("hazard_report", new Dictionary<string, string>(), reported, "citong");
        var after = await Ask("Tickets", "queue_summary");
        Assert.Equal(Count(before!, @"(\d+) open") + 1, Count(after!, @"(\d+) open"));
        Assert.Equal(Count(before!, @"hazard_report (\d+)") + 1, Count(after!, @"hazard_report (\d+)"));

        var notices = _app.Services.GetRequiredService<Linli.Notices.NoticeService>();
        await notices.PublishAsync(
            "citong", Linli.Notices.NoticeScope.Building, 3, null, "3栋停水", "周六上午", "客服", ct);
        // A building's notice is that building's: not in the community's list.
        Assert.DoesNotContain("3栋停水", await Ask("Notices", "latest_notices"));
        await notices.PublishAsync(
            "citong", Linli.Notices.NoticeScope.Community, null, null, "消防演练", "周日上午", "客服", ct);
        Assert.Contains("消防演练: 周日上午", await Ask("Notices", "latest_notices"));
    }
}
