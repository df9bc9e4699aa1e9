using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Channels;

public sealed class DirectLineStreamTests : IDisposable
{
    private readonly LinliAppFactory _app = new();
    private readonly DirectLineTestClient _dl;

    public DirectLineStreamTests() => _dl = new DirectLineTestClient(_app.CreateClient());

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<WebSocket> ConnectAsync(string streamUrl)
    {
        var client = _app.Server.CreateWebSocketClient();
        return await client.ConnectAsync(new Uri(streamUrl), Ct);
    }

    private static async Task<JsonElement> ReceiveSetAsync(WebSocket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return JsonDocument.Parse(message.ToArray()).RootElement;
    }

    [Fact]
    public async Task TheStreamReplaysTheBacklogThenDeliversEchoAndReplyLive()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        using var socket = await ConnectAsync(c.StreamUrl!);

        var replay = await ReceiveSetAsync(socket);
        Assert.Equal("1", replay.GetProperty("watermark").GetString());
        Assert.Contains("邻里小助手", replay.GetProperty("activities")[0].GetProperty("text").GetString());

        // Web Chat sends empty frames to keep the socket alive; they must do no harm.
        await socket.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, true, Ct);
        await _dl.PostAsync(c, DirectLineTestClient.Message("楼上漏水", clientActivityId: "c-7"), ct: Ct);

        var seen = new List<JsonElement>();
        while (seen.Count < 2)
            seen.AddRange((await ReceiveSetAsync(socket)).GetProperty("activities").EnumerateArray());
        Assert.Equal("c-7", seen[0].GetProperty("channelData").GetProperty("clientActivityID").GetString());
        Assert.Equal(seen[0].GetProperty("id").GetString(), seen[1].GetProperty("replyToId").GetString());
    }

    [Fact]
    public async Task AStreamOpenedAtAWatermarkSkipsWhatTheClientHasSeen()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        await _dl.PostAsync(c, DirectLineTestClient.Message("一"), ct: Ct);
        using var socket = await ConnectAsync(c.StreamUrl + "&watermark=2");

        var replay = await ReceiveSetAsync(socket);
        var activity = Assert.Single(replay.GetProperty("activities").EnumerateArray());
        Assert.EndsWith("|0000003", activity.GetProperty("id").GetString());
    }

    [Fact]
    public async Task AStreamNeedsTheConversationsToken()
    {
        var mine = await _dl.StartAsUserAsync(ct: Ct);
        var theirs = await _dl.StartAsUserAsync(ct: Ct);
        var stolen = mine.StreamUrl!.Replace(Uri.EscapeDataString(mine.Token), Uri.EscapeDataString(theirs.Token));

        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(stolen));
        using var request = new HttpRequestMessage(HttpMethod.Get, stolen.Replace("ws://", "http://"));
        Assert.Equal(HttpStatusCode.Forbidden, (await _dl.Http.SendAsync(request, Ct)).StatusCode);
    }
}

public sealed class DirectLineSecretTests : IDisposable
{
    private const string Secret = "community-office-secret";
    private readonly LinliAppFactory _app = new(new() { ["DirectLine:Secret"] = Secret });
    private readonly DirectLineTestClient _dl;

    public DirectLineSecretTests() => _dl = new DirectLineTestClient(_app.CreateClient());

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpStatusCode> PostAsync(string path, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return (await _dl.Http.SendAsync(request, Ct)).StatusCode;
    }

    [Fact]
    public async Task WithASecretConfiguredStrangersCannotStartOrMintTokens()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("/v3/directline/conversations", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("/v3/directline/tokens/generate", null));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("/v3/directline/tokens/generate", "wrong-secret"));
    }

    [Fact]
    public async Task TheSecretMintsATokenThatStartsItsConversation()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/generate")
        {
            Content = new StringContent("""{"user":{"id":"dl_user1"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        var response = await _dl.Http.SendAsync(request, Ct);
        var generated = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var token = generated.GetProperty("token").GetString()!;

        var started = await _dl.StartAsync(token, Ct);
        Assert.Equal(generated.GetProperty("conversationId").GetString(), started.ConversationId);
        var (activities, _) = await _dl.GetAsync(started, ct: Ct);
        Assert.Equal("dl_user1", activities[0].GetProperty("recipient").GetProperty("id").GetString());

        // The secret itself also starts conversations (server-to-server use).
        Assert.Equal(HttpStatusCode.Created, await PostAsync("/v3/directline/conversations", Secret));
    }
}

public sealed class DirectLineCorsTests : IDisposable
{
    private readonly LinliAppFactory _app =
        new(new() { ["DirectLine:AllowedOrigins:0"] = "https://citong.example" }, environment: "Production");

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("https://citong.example", true)]
    [InlineData("https://elsewhere.example", false)]
    public async Task InProductionOnlyTheConfiguredSitesMayEmbedTheChat(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v3/directline/conversations");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
        var response = await _app.CreateClient().SendAsync(preflight, TestContext.Current.CancellationToken);

        var allowedHere = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values)
                          && values.Single() == origin;
        Assert.Equal(allowed, allowedHere);
    }
}

public sealed class DirectLineRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARestartKeepsConversationsTheirHistoryAndTheirTokens()
    {
        using var dir = new TempDirectory();
        DirectLineTestClient.Started c;
        using (var before = new LinliAppFactory(directory: dir))
        {
            var dl = new DirectLineTestClient(before.CreateClient());
            c = await dl.StartAsUserAsync(ct: Ct);
            await dl.PostAsync(c, DirectLineTestClient.Message("重启前"), ct: Ct);
        }

        using var after = new LinliAppFactory(directory: dir);
        var again = new DirectLineTestClient(after.CreateClient());
        var (activities, watermark) = await again.GetAsync(c, ct: Ct);
        Assert.Equal(3, activities.Count);
        Assert.Equal("重启前", activities[1].GetProperty("text").GetString());

        await again.PostAsync(c, DirectLineTestClient.Message("重启后"), ct: Ct);
        Assert.Equal(2, (await again.GetAsync(c, watermark, ct: Ct)).Activities.Count);
    }
}
