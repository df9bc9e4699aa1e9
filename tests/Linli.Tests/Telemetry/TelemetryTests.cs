using System.Text;
using System.Threading.Channels;
using Linli.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Linli.Tests.Telemetry;

/// <summary>What an operator's collector and scraper get: Linli's turns among ASP.NET Core's own measurements.</summary>
public sealed class TelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APrometheusScraperSeesTurnsByChannelAndTheirDuration()
    {
        using var app = new LinliAppFactory(new() { ["Telemetry:Prometheus"] = "true" });
        var chat = await ResidentChat.StartAsync(app);
        await chat.SayAsync("你好");

        var metrics = await app.CreateClient().GetStringAsync("/metrics", Ct);

        Assert.Matches(@"linli_turns_total\{[^}]*channel=""directline""[^}]*outcome=""ok""[^}]*\} [1-9]", metrics);
        Assert.Contains("linli_turn_duration_seconds_bucket", metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics);
    }

    [Fact]
    public async Task WithoutTelemetryConfiguredThereIsNoScrapingEndpoint()
    {
        using var app = new LinliAppFactory();
        var response = await app.CreateClient().GetAsync("/metrics", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task WithServerTimingEveryAnswerSaysHowLongLinliSpentOnIt()
    {
        using var app = new LinliAppFactory(new() { ["Telemetry:ServerTiming"] = "true" });
        var client = app.CreateClient();

        // A turn, a page and an error: the header is set by the first thing the request meets, whatever answers.
        var turn = await client.PostAsync("/api/messages", new StringContent("""
            {"type":"message","id":"t1","text":"你好","channelId":"webchat","locale":"zh-CN",
             "serviceUrl":"http://127.0.0.1:9","deliveryMode":"expectReplies","from":{"id":"u-timing"},
             "recipient":{"id":"bot"},"conversation":{"id":"c-timing"}}
            """, Encoding.UTF8, "application/json"), Ct);
        var health = await client.GetAsync("/healthz", Ct);
        var missing = await client.GetAsync("/api/no-such-thing", Ct);

        var spent = new List<double>();
        foreach (var response in new[] { turn, health, missing })
        {
            var timing = Assert.Single(response.Headers.GetValues("Server-Timing"));
            var match = System.Text.RegularExpressions.Regex.Match(timing, @"^app;dur=(\d+\.\d\d)$");
            Assert.True(match.Success, timing);
            spent.Add(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        // A turn (the bot's reply, its state and transcript written) never rounds to 0.00 ms; a page or a 404 might.
        Assert.True(spent[0] > 0, $"{spent[0]} ms");
        Assert.Equal(System.Net.HttpStatusCode.OK, turn.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task WithoutServerTimingAnswersSayNothingOfTime()
    {
        using var app = new LinliAppFactory();
        var response = await app.CreateClient().GetAsync("/healthz", Ct);
        Assert.False(response.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task AnOtlpCollectorReceivesTheMetricsOverHttpProtobuf()
    {
        // A collector at the wire: it takes what the OTLP exporter posts, as a real one does.
        var posts = Channel.CreateUnbounded<(string Path, string ContentType, byte[] Body)>();
        await using var collector = LoopbackServer.Create();
        collector.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            posts.Writer.TryWrite((http.Request.Path, http.Request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        });
        var url = await LoopbackServer.StartAsync(collector);

        using var app = new LinliAppFactory(new()
        {
            ["Telemetry:Otlp:Endpoint"] = url + "/", ["Telemetry:Otlp:IntervalSeconds"] = "0.5",
        });
        var chat = await ResidentChat.StartAsync(app);
        await chat.SayAsync("你好");

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            var (path, contentType, body) = await posts.Reader.ReadAsync(patience.Token);
            if (path != "/v1/metrics") continue;
            Assert.Equal("application/x-protobuf", contentType);
            // Protobuf keeps strings as UTF-8: the metric's name and its channel are in the payload as written.
            if (!Encoding.UTF8.GetString(body).Contains("linli.turns", StringComparison.Ordinal)) continue;
            Assert.Contains("directline", Encoding.UTF8.GetString(body));
            break;
        }
    }
}
