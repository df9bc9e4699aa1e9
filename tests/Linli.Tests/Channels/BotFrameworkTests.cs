using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Channels;

/// <summary>
/// <c>POST /api/messages</c> with no app id (the Emulator, local use), against a fake Connector on loopback.
/// </summary>
public sealed class BotFrameworkTests : IAsyncLifetime
{
    private FakeConnector _connector = null!;
    private LinliAppFactory _app = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _connector = await FakeConnector.StartAsync();
        _app = new LinliAppFactory(new()
        {
            ["BotFramework:RetryDelayMilliseconds"] = "20", ["BotFramework:DeliveryTimeoutSeconds"] = "30",
        });
        _http = _app.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _connector.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Activity(
        string text = "今天天气怎么样", string id = "act-1", string conversation = "a:b|c/d",
        string? deliveryMode = null, string channel = "webchat") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "message", ["id"] = id, ["channelId"] = channel, ["serviceUrl"] = _connector.BaseUrl,
            ["from"] = new { id = "u1", name = "陈阿姨", role = "user" },
            ["recipient"] = new { id = "bot-1", role = "bot" },
            ["conversation"] = new { id = conversation }, ["text"] = text, ["locale"] = "zh-CN",
            ["deliveryMode"] = deliveryMode,
        });

    private Task<HttpResponseMessage> PostAsync(string body) =>
        _http.PostAsync("/api/messages", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task RepliesGoToTheConversationAsReplyWithTheSidesSwappedAndNoToken()
    {
        var response = await PostAsync(Activity());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync(Ct));

        var reply = Assert.Single(await _connector.WaitForAsync(1));
        Assert.Equal("/v3/conversations/a%3Ab%7Cc%2Fd/activities/act-1", reply.RawTarget);
        Assert.Null(reply.Authorization);
        var body = reply.Body;
        Assert.Equal("act-1", body.GetProperty("replyToId").GetString());
        Assert.Equal("bot-1", body.GetProperty("from").GetProperty("id").GetString());
        Assert.Equal("u1", body.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("a:b|c/d", body.GetProperty("conversation").GetProperty("id").GetString());
        Assert.False(body.TryGetProperty("id", out _));
        Assert.False(body.TryGetProperty("timestamp", out _));
        Assert.Contains("今天天气怎么样", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ANewMemberIsWelcomedWithTheMenu()
    {
        var update = JsonSerializer.Serialize(new
        {
            type = "conversationUpdate", id = "upd-1", channelId = "webchat", serviceUrl = _connector.BaseUrl,
            from = new { id = "u1" }, recipient = new { id = "bot-1" }, conversation = new { id = "conv-9" },
            membersAdded = new[] { new { id = "bot-1" }, new { id = "u1" } },
        });
        await PostAsync(update);

        var welcome = Assert.Single(await _connector.WaitForAsync(1)).Body;
        Assert.Contains("邻里小助手", welcome.GetProperty("text").GetString());
        Assert.Equal(6, welcome.GetProperty("suggestedActions").GetProperty("actions").GetArrayLength());
    }

    [Fact]
    public async Task TheEmulatorAlsoSeesWhatTheRecognizerUnderstood()
    {
        await PostAsync(Activity(text: "3栋502上个月物业费多少", channel: "emulator"));

        var received = await _connector.WaitForAsync(2);
        var trace = received[0].Body;
        Assert.Equal("trace", trace.GetProperty("type").GetString());
        Assert.Equal("fee_query", trace.GetProperty("value").GetProperty("topIntent").GetString());
        Assert.Contains("3栋502", trace.GetProperty("value").GetProperty("entities").GetRawText());
        Assert.Equal("message", received[1].Body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ExpectRepliesAnswersInTheBodyAndPostsNothing()
    {
        var response = await PostAsync(Activity(deliveryMode: "expectReplies"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        var reply = Assert.Single(body.GetProperty("activities").EnumerateArray());
        Assert.Equal("act-1", reply.GetProperty("replyToId").GetString());
        // Nothing went to the Connector: the next activity's reply is the first thing it receives.
        await PostAsync(Activity(id: "act-2"));
        var received = await _connector.WaitForAsync(1);
        Assert.All(received, r => Assert.Equal("act-2", r.Body.GetProperty("replyToId").GetString()));
    }

    [Fact]
    public async Task ARetriedActivityIsHandledOnce()
    {
        await PostAsync(Activity(id: "same"));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Activity(id: "same"))).StatusCode);
        await PostAsync(Activity(id: "other"));

        // A sentinel after both: a second reply to "same" would have gone out before the sentinel's.
        await PostAsync(Activity(id: "sentinel"));
        await _connector.WaitForAsync(3);
        Assert.Equal(["/activities/same", "/activities/other", "/activities/sentinel"],
            _connector.Activities.Select(a =>
                a.RawTarget[a.RawTarget.LastIndexOf("/activities/", StringComparison.Ordinal)..]));
    }

    [Fact]
    public async Task ARetryArrivingWhileTheFirstDeliveryRunsIsAnsweredOnce()
    {
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var response = await PostAsync(Activity(id: "raced", deliveryMode: "expectReplies"));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
            return body.GetProperty("activities").GetArrayLength();
        }));

        Assert.Single(deliveries, replies => replies > 0);
        Assert.Equal(3, deliveries.Count(replies => replies == 0));
    }

    [Fact]
    public async Task AConnectorOutageDelaysRepliesButLosesNone()
    {
        _connector.FailNext(503, 500);
        await PostAsync(Activity(text: "一"));
        await PostAsync(Activity(text: "二", id: "act-2"));

        var received = await _connector.WaitForAsync(4);
        var delivered = received.Skip(2).Select(r => r.Body.GetProperty("replyToId").GetString());
        Assert.Equal(["act-1", "act-2"], delivered);
        // The outbox lets go of a reply once the Connector's answer is back, a moment after the Connector saw it.
        var outbox = _app.Services.GetRequiredService<LinliDatabase>().Outbox;
        for (var i = 0; i < 100 && outbox.Count() > 0; i++) await Task.Delay(20, Ct);
        Assert.Equal(0, outbox.Count());
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "{\"type\":\"message\",", "not a JSON activity" },
        { "{\"type\":\"message\"} {\"type\":\"message\"}", "not a JSON activity" },
        { "", "not a JSON activity" },
        { "{\"id\":\"x\",\"serviceUrl\":\"http://127.0.0.1:1\",\"conversation\":{\"id\":\"c\"}}", "no type" },
        { "{\"type\":\"message\",\"id\":\"x\",\"serviceUrl\":\"http://127.0.0.1:1\"}", "no conversation" },
        { "{\"type\":\"message\",\"id\":\"x\",\"conversation\":{\"id\":\"c\"}}", "no serviceUrl" },
        { WithServiceUrl("file:///etc/passwd"), "no serviceUrl" },
        { "{\"type\":\"message\",\"text\":\"" + new string('长', 100_000) + "\"}", "too large" },
        { WithServiceUrl("https://evil.example/"), "not allowed" },
        { WithServiceUrl("http://169.254.169.254/"), "not allowed" },
        { WithServiceUrl("https://botframework.com.evil.example/"), "not allowed" },
    };

    [Fact]
    public async Task AChunkedBodyPastTheLimitIsRefusedAsItArrives()
    {
        var big = Encoding.UTF8.GetBytes("{\"type\":\"message\",\"text\":\"" + new string('长', 100_000) + "\"}");
        // A stream of unknown length: the body goes chunked, with no Content-Length to refuse it by.
        var content = new StreamContent(new UnseekableStream(big));
        content.Headers.ContentType = new("application/json");
        var response = await _http.PostAsync("/api/messages", content, Ct);

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too large", await response.Content.ReadAsStringAsync(Ct));
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>An otherwise whole activity that names <paramref name="serviceUrl"/> as where to reply.</summary>
    private static string WithServiceUrl(string serviceUrl) =>
        "{\"type\":\"message\",\"id\":\"x\",\"conversation\":{\"id\":\"c\"},\"serviceUrl\":\"" + serviceUrl + "\"}";

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedActivitiesAreA400ProblemAndNothingIsStored(string body, string titlePart)
    {
        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Contains(titlePart, problem.GetProperty("title").GetString());
        var db = _app.Services.GetRequiredService<LinliDatabase>();
        var stored = db.ProcessedActivities.Count() + db.Outbox.Count() + db.ConversationStates.Count()
                     + db.ConversationReferences.Count();
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task AConnectorThatNeverAnswersDoesNotDelayAnotherConversationsReply()
    {
        // A Connector that takes the request and never answers (a black hole), on its own port.
        await using var hole = LoopbackServer.Create();
        var held = 0;
        hole.MapPost("/v3/conversations/{**rest}",
            async (Microsoft.AspNetCore.Http.HttpContext http) =>
            {
                Interlocked.Increment(ref held);
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            });
        var holeUrl = await LoopbackServer.StartAsync(hole);

        var blackholed = Activity(text: "一", id: "hole-1", conversation: "stuck")
            .Replace(_connector.BaseUrl, holeUrl);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(blackholed)).StatusCode);
        for (var i = 0; i < 200 && Volatile.Read(ref held) == 0; i++) await Task.Delay(25, Ct);
        Assert.True(Volatile.Read(ref held) > 0, "The black hole was never called.");

        // Another conversation's reply goes out while the first still hangs on its (30 s) attempt.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var fine = await PostAsync(Activity(text: "二", id: "ok-1", conversation: "fine"));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        var reply = Assert.Single(await _connector.WaitForAsync(1));
        Assert.Equal("ok-1", reply.Body.GetProperty("replyToId").GetString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"The reply took {started.Elapsed}.");
        var outbox = _app.Services.GetRequiredService<LinliDatabase>().Outbox.FindAll();
        Assert.Contains(outbox, o => o.ConversationId == "stuck");
    }

    [Fact]
    public async Task TheBotCanSpeakFirstIntoAConversationItHasSeen()
    {
        await PostAsync(Activity());
        await _connector.WaitForAsync(1);

        var references = _app.Services.GetRequiredService<IConversationReferenceStore>();
        var reference = await references.FindAsync("webchat", "u1", Ct);
        var messenger = _app.Services.GetRequiredService<IProactiveMessenger>();
        await messenger.SendAsync(reference!, new Activity { Text = "师傅十分钟后到" }, Ct);

        var proactive = (await _connector.WaitForAsync(2))[1];
        Assert.Equal("/v3/conversations/a%3Ab%7Cc%2Fd/activities", proactive.RawTarget);
        Assert.Equal("师傅十分钟后到", proactive.Body.GetProperty("text").GetString());
        Assert.Equal("u1", proactive.Body.GetProperty("recipient").GetProperty("id").GetString());
    }
}

/// <summary>
/// With an app id configured, only the Connector's signed tokens for this bot get in; replies carry the bot's own
/// token.
/// </summary>
public sealed class BotFrameworkAuthenticationTests : IAsyncLifetime
{
    private const string AppId = "app-123";
    private FakeConnector _connector = null!;
    private LinliAppFactory _app = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _connector = await FakeConnector.StartAsync();
        _app = new LinliAppFactory(new()
        {
            ["BotFramework:AppId"] = AppId,
            ["BotFramework:AppPassword"] = "app-password",
            ["BotFramework:OpenIdMetadataUrl"] = _connector.MetadataUrl,
            ["BotFramework:TokenEndpoint"] = _connector.TokenUrl,
        });
        _http = _app.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _connector.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpStatusCode> PostAsync(string? token, string? serviceUrl = null, string? id = null)
    {
        var body = JsonSerializer.Serialize(new
        {
            type = "message", id = id ?? Guid.NewGuid().ToString(), channelId = "msteams",
            serviceUrl = serviceUrl ?? _connector.BaseUrl,
            from = new { id = "u1" }, recipient = new { id = AppId }, conversation = new { id = "conv-1" }, text = "hi",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await _http.SendAsync(request, Ct)).StatusCode;
    }

    [Fact]
    public async Task AValidTokenGetsInAndTheReplyCarriesTheBotsToken()
    {
        Assert.Equal(HttpStatusCode.OK, await PostAsync(_connector.IssueToken(AppId, _connector.BaseUrl)));

        var reply = Assert.Single(await _connector.WaitForAsync(1));
        Assert.Equal("Bearer outgoing-token", reply.Authorization);
        var tokenRequest = Assert.Single(_connector.TokenRequests);
        Assert.Equal(
            "client_id=app-123&client_secret=app-password&grant_type=client_credentials" +
            "&scope=https://api.botframework.com/.default",
            tokenRequest);
    }

    [Fact]
    public async Task MissingExpiredForeignOrMisdirectedTokensAreRefused()
    {
        async Task Refused(string? token, string? serviceUrl = null) =>
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(token, serviceUrl));
        var url = _connector.BaseUrl;
        await Refused(null);
        await Refused(_connector.IssueToken(AppId, url, lifetime: TimeSpan.FromMinutes(-10)));
        await Refused(_connector.IssueToken("another-bot", url));
        await Refused(_connector.IssueToken(AppId, url, foreignKey: true));
        await Refused(_connector.IssueToken(AppId, url, issuer: "https://evil.example"));
        // A token minted for one channel's serviceUrl cannot be used to make the bot call another.
        await Refused(_connector.IssueToken(AppId, "https://other.example"), url);

        // None of them ran a turn: the reply to a well-signed activity is the first thing the Connector receives.
        var signed = _connector.IssueToken(AppId, _connector.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(signed, id: "act-signed"));
        var received = await _connector.WaitForAsync(1);
        Assert.All(received, r => Assert.Equal("act-signed", r.Body.GetProperty("replyToId").GetString()));
    }
}

/// <summary>
/// Outside Development, a Linli without an app id takes no channel's activities unless told to, loudly.
/// </summary>
public sealed class BotFrameworkProductionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // One line of JSON, cut inside the serviceUrl (a raw literal may not begin or end with a quote).
    private const string Body =
        """{"type":"message","id":"p-1","channelId":"webchat","serviceUrl":"http://127.0.0.1:""" +
        """9/","from":{"id":"u1"},"conversation":{"id":"c1"},"text":"你好"}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task AnonymousActivitiesAreRefusedInProductionAndNothingIsStored()
    {
        using var app = new LinliAppFactory(environment: "Production");
        var response = await app.CreateClient().PostAsync("/api/messages", Json(Body), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var db = app.Services.GetRequiredService<LinliDatabase>();
        Assert.Equal(0, db.ProcessedActivities.Count() + db.Outbox.Count() + db.ConversationStates.Count());
    }

    [Fact]
    public async Task AllowAnonymousOpensItAndTheServiceUrlListStillHolds()
    {
        using var app = new LinliAppFactory(new()
        {
            ["BotFramework:AllowAnonymous"] = "true", ["BotFramework:ServiceUrlHosts:0"] = "127.0.0.1",
        }, environment: "Production");
        var http = app.CreateClient();
        var expectingReplies = Body.Replace("p-1", "p-2")
            .Replace("\"text\"", "\"deliveryMode\":\"expectReplies\",\"text\"");
        var taken = await http.PostAsync("/api/messages", Json(expectingReplies), Ct);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var foreign = Body.Replace("http://127.0.0.1:9/", "https://smba.trafficmanager.net.evil.example/");
        var elsewhere = await http.PostAsync("/api/messages", Json(foreign), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }
}
