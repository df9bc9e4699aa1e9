using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Linli.StaffConsole;
using Linli.TeaTable;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.EndToEnd;

/// <summary>
/// Two Linli processes behind one address, as a city runs them: the same PostgreSQL database, the same Redis. What
/// one instance does, a client of the other sees; what one acknowledged survives its SIGKILL.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _dir = new();
    private string _database = "";
    private HostProcess _a = null!, _b = null!;
    private HttpClient _httpA = null!, _httpB = null!;

    public async ValueTask InitializeAsync()
    {
        var redis = TestRedis.RequireServer();
        _database = TestPostgres.CreateEmptyDatabase();
        // Its own name on the shared Redis: other tests' instances are another Linli.
        var cluster = "t" + Guid.NewGuid().ToString("N")[..8];
        string[] shared =
        [
            "--Storage:Provider", "PostgreSQL", "--ConnectionStrings:Postgres", _database,
            "--ConnectionStrings:Redis", redis, "--Cluster:Name", cluster,
            // A killed instance is counted dead in a second, not twenty.
            "--Cluster:BeatSeconds", "0.25",
        ];
        // Started together: one seeds the demo, the other waits for it and finds it there.
        (_a, _b) = (HostProcess.Start(_dir.File("a.db"), shared), HostProcess.Start(_dir.File("b.db"), shared));
        try
        {
            var urls = await Task.WhenAll(_a.Running, _b.Running);
            (_httpA, _httpB) = (Client(urls[0]), Client(urls[1]));
        }
        catch
        {
            // A failed start is not followed by DisposeAsync: the processes are stopped here.
            await DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _httpA?.Dispose();
        _httpB?.Dispose();
        _a?.Dispose();
        _b?.Dispose();
        (_httpA, _httpB, _a, _b) = (null!, null!, null!, null!);
        if (_database.Length > 0) TestPostgres.Drop(new Npgsql.NpgsqlConnectionStringBuilder(_database).Database!);
        _database = "";
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private static HttpClient Client(Uri url) => new(new HttpClientHandler { UseCookies = false })
    {
        BaseAddress = url, Timeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task AConversationStartedOnAContinuesOnBAndBsRepliesReachAsWebSocket()
    {
        var onA = new DirectLineTestClient(_httpA);
        var conversation = await onA.StartAsUserAsync(ct: Ct);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(conversation.StreamUrl!), Ct);

        var onB = new DirectLineTestClient(_httpB);
        var question = DirectLineTestClient.Message("物业电话多少", "u-two");
        var posted = await onB.PostAsync(conversation, question, ct: Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        // After the welcome, the resident's own message and the bot's answer, both made on B, arrive on A's stream.
        var texts = new List<string>();
        while (texts.IndexOf("物业电话多少") is var asked && (asked < 0 || asked == texts.Count - 1))
            texts.AddRange((await ReceiveAsync(socket)).Where(a => a.GetProperty("type").GetString() == "message")
                .Select(a => a.GetProperty("text").GetString() ?? ""));
        Assert.NotEqual("物业电话多少", texts[^1]);   // the bot's answer, whatever it is
        var (backlog, _) = await onA.GetAsync(conversation, ct: Ct);
        Assert.True(backlog.Count >= 2);
    }

    [Fact]
    public async Task ARepairReportedOnAAppearsLiveInAConsoleConnectedToB()
    {
        await using var console = Hub(_httpB, StaffConsoleHub.Path, await SignInAsync(_httpB, "manager"));
        var heard = Channel.CreateUnbounded<TicketView>();
        console.On<TicketView>("TicketCreated", t => heard.Writer.TryWrite(t));
        await console.StartAsync(Ct);

        var number = await ReportRepairAsync(_httpA);

        var created = await heard.Reader.ReadAsync(Ct).AsTask().WaitAsync(Patience, Ct);
        Assert.Equal((number, "repair_request"), (created.Number, created.Kind));
    }

    [Fact]
    public async Task ATeaTablePostMadeOnAReachesViewersConnectedToB()
    {
        var writer = await SignInAsync(_httpA, "manager");
        var thread = await SendAsync<JsonElement>(_httpA, HttpMethod.Post, "/api/tea/threads", writer,
            new { title = "两台服务器的测试", text = "开个头" });
        var threadId = thread.GetProperty("id").GetInt32();

        await using var viewer = Hub(_httpB, TeaTableHub.Path, await SignInAsync(_httpB, "repair1"));
        var posts = Channel.CreateUnbounded<PostView>();
        viewer.On<PostView>("PostAdded", p => posts.Writer.TryWrite(p));
        await viewer.StartAsync(Ct);
        await viewer.InvokeAsync<JoinResult>("Join", threadId, 0, Ct);

        await SendAsync<JsonElement>(_httpA, HttpMethod.Post, $"/api/tea/threads/{threadId}/posts", writer,
            new { text = "从 A 发的" });

        var post = await posts.Reader.ReadAsync(Ct).AsTask().WaitAsync(Patience, Ct);
        Assert.Contains("从 A 发的", post.Html);
    }

    [Fact]
    public async Task NeighboursOnAAndBAreCountedTogetherUntilAIsKilled()
    {
        var writer = await SignInAsync(_httpA, "manager");
        var thread = await SendAsync<JsonElement>(_httpA, HttpMethod.Post, "/api/tea/threads", writer,
            new { title = "谁在看", text = "数一数" });
        var threadId = thread.GetProperty("id").GetInt32();

        await using var onB = Hub(_httpB, TeaTableHub.Path, await SignInAsync(_httpB, "repair1"));
        var counts = Channel.CreateUnbounded<int>();
        onB.On<int, int>("Presence", (_, count) => counts.Writer.TryWrite(count));
        await onB.StartAsync(Ct);
        Assert.Equal(1, (await onB.InvokeAsync<JoinResult>("Join", threadId, 0, Ct)).Present);

        // The manager, in two tabs, one on each instance: one neighbour more.
        await using var onA = Hub(_httpA, TeaTableHub.Path, writer);
        await using var alsoOnB = Hub(_httpB, TeaTableHub.Path, writer);
        await onA.StartAsync(Ct);
        await alsoOnB.StartAsync(Ct);
        Assert.Equal(2, (await onA.InvokeAsync<JoinResult>("Join", threadId, 0, Ct)).Present);
        Assert.Equal(2, (await alsoOnB.InvokeAsync<JoinResult>("Join", threadId, 0, Ct)).Present);
        await alsoOnB.StopAsync(Ct);   // still here on A
        Assert.Equal(2, await LastCountAsync());

        _a.Kill();
        Assert.Equal(1, await LastCountAsync());

        async Task<int> LastCountAsync()
        {
            // The counts told so far, up to a quiet half second: the last is the thread's now.
            var last = await counts.Reader.ReadAsync(Ct).AsTask().WaitAsync(Patience, Ct);
            while (true)
            {
                var more = counts.Reader.WaitToReadAsync(Ct).AsTask();
                if (await Task.WhenAny(more, Task.Delay(500, Ct)) != more) return last;
                while (counts.Reader.TryRead(out var next)) last = next;
            }
        }
    }

    [Fact]
    public async Task AClaimRacedFromAAndBHasOneWinner()
    {
        var number = await ReportRepairAsync(_httpA);
        var (repair1, repair2) = (await SignInAsync(_httpA, "repair1"), await SignInAsync(_httpB, "repair2"));

        var claims = await Task.WhenAll(
            Send(_httpA, HttpMethod.Post, $"/api/tickets/{number}/claim", repair1),
            Send(_httpB, HttpMethod.Post, $"/api/tickets/{number}/claim", repair2));

        var won = Assert.Single(claims, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(claims, r => r.StatusCode == HttpStatusCode.Conflict);
        var winner = (await won.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("assignee").GetProperty("id");
        var ticket = await SendAsync<JsonElement>(_httpB, HttpMethod.Get, $"/api/tickets/{number}", repair2);
        Assert.Equal(winner.GetString(), ticket.GetProperty("assignee").GetProperty("id").GetString());
    }

    [Fact]
    public async Task WhenAIsKilledBGoesOnAndNothingAIAcknowledgedIsLost()
    {
        var onA = new DirectLineTestClient(_httpA);
        var conversation = await onA.StartAsUserAsync(ct: Ct);
        var number = await ReportRepairAsync(_httpA, conversation);
        var acknowledged = (await onA.GetAsync(conversation, ct: Ct)).Activities.Count;

        _a.Kill();

        var onB = new DirectLineTestClient(_httpB);
        var (backlog, watermark) = await onB.GetAsync(conversation, ct: Ct);
        Assert.Equal(acknowledged, backlog.Count);
        var manager = await SignInAsync(_httpB, "manager");
        var ticket = await SendAsync<JsonElement>(_httpB, HttpMethod.Get, $"/api/tickets/{number}", manager);
        Assert.Equal(number, ticket.GetProperty("number").GetString());

        // The resident goes on talking, now to B.
        Assert.Equal(HttpStatusCode.OK,
            (await onB.PostAsync(conversation, DirectLineTestClient.Message("谢谢"), ct: Ct)).StatusCode);
        Assert.NotEmpty(await onB.WaitForAsync(conversation, watermark, 2, Ct));
    }

    /// <summary>Reports a repair through Direct Line, as a resident on the web chat does; returns its number.</summary>
    private static async Task<string> ReportRepairAsync(
        HttpClient http, DirectLineTestClient.Started? conversation = null)
    {
        var client = new DirectLineTestClient(http);
        var c = conversation ?? await client.StartAsUserAsync(ct: Ct);
        string? watermark = null;
        string[] lines = ["报修", "公共区域", "1栋地下车库", "电路"];
        lines = [.. lines, "车库的灯全灭了", "很急", "对", "跳过"];
        foreach (var line in lines)
        {
            var posted = await client.PostAsync(c, DirectLineTestClient.Message(line), ct: Ct);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var (activities, mark) = await client.GetAsync(c, watermark, ct: Ct);
            watermark = mark;
            foreach (var text in activities.Select(a => a.TryGetProperty("text", out var t) ? t.GetString() : null))
                if (text is not null && Regex.Match(text, @"BX-\d{8}-\d{4}") is { Success: true } m) return m.Value;
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("No ticket number in the bot's replies");
    }

    /// <summary>
    /// Signs a demo account in as production requires (the demo password, then one of its own first); returns the
    /// cookie, which either instance reads.
    /// </summary>
    private static async Task<string> SignInAsync(HttpClient http, string userName)
    {
        var response = await http.PostAsJsonAsync(
            "/api/auth/signin", new { userName, password = Linli.Seeding.DemoAccounts.Password }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var changed = await Send(http, HttpMethod.Post, "/api/auth/password", TestCookies.Of(response),
            new { current = Linli.Seeding.DemoAccounts.Password, @new = "Two-Instances-Test-2026" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        return TestCookies.Of(changed);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string cookie,
        object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await http.SendAsync(request, Ct);
    }

    private static async Task<T> SendAsync<T>(HttpClient http, HttpMethod method, string path, string cookie,
        object? body = null)
    {
        using var response = await Send(http, method, path, cookie, body);
        Assert.True(response.IsSuccessStatusCode,
            $"{method} {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<T>(Ct))!;
    }

    private static HubConnection Hub(HttpClient http, string path, string cookie) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(http.BaseAddress!, path.TrimStart('/')), o => o.Headers["Cookie"] = cookie)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(
                new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();

    private static async Task<List<JsonElement>> ReceiveAsync(WebSocket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Patience);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        var set = JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement;
        return [.. set.GetProperty("activities").EnumerateArray()];
    }
}
