using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Bot.Turns;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Channels;

public sealed class DirectLineTests : IDisposable
{
    private readonly LinliAppFactory _app =
        new(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
    private readonly DirectLineTestClient _dl;

    public DirectLineTests() => _dl = new DirectLineTestClient(_app.CreateClient());

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(JsonElement a) => a.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";

    [Fact]
    public async Task StartingAConversationAsAUserBringsTheWelcomeWithButtons()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        Assert.StartsWith("ws://", c.StreamUrl);
        Assert.Contains(c.ConversationId, c.StreamUrl);

        var (activities, watermark) = await _dl.GetAsync(c, ct: Ct);
        var welcome = Assert.Single(activities);
        Assert.Contains("邻里小助手", Text(welcome));
        Assert.Equal("bot", welcome.GetProperty("from").GetProperty("role").GetString());
        var buttons = welcome.GetProperty("suggestedActions").GetProperty("actions").EnumerateArray()
            .Select(a => a.GetProperty("title").GetString());
        Assert.Contains("报修", buttons);
        Assert.Equal("1", watermark);
    }

    [Fact]
    public async Task EnglishIsEqual()
    {
        var c = await _dl.StartAsUserAsync("en", Ct);
        var (activities, _) = await _dl.GetAsync(c, ct: Ct);
        Assert.Contains("Linli", Text(activities[0]));
        Assert.Contains("Repair", activities[0].GetProperty("suggestedActions").GetRawText());
    }

    [Fact]
    public async Task PostedMessageIsEchoedWithItsClientIdThenAnswered()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        var (_, afterWelcome) = await _dl.GetAsync(c, ct: Ct);

        var posted = await _dl.PostAsync(
            c, DirectLineTestClient.Message("我要报修", clientActivityId: "web-42"), ct: Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();

        var (activities, watermark) = await _dl.GetAsync(c, afterWelcome, ct: Ct);
        Assert.Equal(2, activities.Count);
        var echo = activities[0];
        Assert.Equal(id, echo.GetProperty("id").GetString());
        Assert.Equal("web-42", echo.GetProperty("channelData").GetProperty("clientActivityID").GetString());
        Assert.Equal("我要报修", Text(echo));
        var reply = activities[1];
        Assert.Equal(id, reply.GetProperty("replyToId").GetString());
        Assert.Contains("是家里要修，还是公共区域？", Text(reply));
        Assert.Equal("3", watermark);

        // Nothing new after the latest watermark; an empty watermark reads from the start.
        Assert.Empty((await _dl.GetAsync(c, watermark, ct: Ct)).Activities);
        Assert.Equal(3, (await _dl.GetAsync(c, "", ct: Ct)).Activities.Count);
    }

    [Fact]
    public async Task ATokenUserCannotPostAsSomeoneElse()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        await _dl.PostAsync(c, DirectLineTestClient.Message("hi", from: "somebody-else"), ct: Ct);
        var (activities, _) = await _dl.GetAsync(c, "1", ct: Ct);
        Assert.StartsWith("dl_", activities[0].GetProperty("from").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AConversationIsReadableOnlyWithItsOwnToken()
    {
        var mine = await _dl.StartAsUserAsync(ct: Ct);
        var theirs = await _dl.StartAsUserAsync(ct: Ct);

        Assert.Equal(HttpStatusCode.Forbidden, (await _dl.SendGetAsync(mine, null, theirs.Token, Ct)).StatusCode);
        var postedWithTheirs = await _dl.PostAsync(mine, DirectLineTestClient.Message("x"), theirs.Token, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, postedWithTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _dl.SendGetAsync(mine, null, "", Ct)).StatusCode);
        var forged = (await _dl.SendGetAsync(mine, null, mine.Token[..^4] + "AAAA", Ct));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ExpiredTokensAreRefusedAndRefreshingExtendsThem()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        _app.Time.Advance(TimeSpan.FromMinutes(50));

        using var refresh = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/refresh");
        refresh.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
        var refreshed = await (await _dl.Http.SendAsync(refresh, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var fresh = refreshed.GetProperty("token").GetString()!;
        Assert.Equal(c.ConversationId, refreshed.GetProperty("conversationId").GetString());

        _app.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.Forbidden, (await _dl.SendGetAsync(c, null, c.Token, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _dl.SendGetAsync(c, null, fresh, Ct)).StatusCode);
    }

    [Fact]
    public async Task ReconnectingHandsBackAStreamFromTheWatermark()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        using var request = new HttpRequestMessage(
            HttpMethod.Get, $"/v3/directline/conversations/{c.ConversationId}?watermark=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
        var body = await (await _dl.Http.SendAsync(request, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(c.ConversationId, body.GetProperty("conversationId").GetString());
        Assert.EndsWith("&watermark=1", body.GetProperty("streamUrl").GetString());
    }

    [Theory]
    [InlineData("{not json", "not a JSON activity")]
    [InlineData("{\"text\":\"no type\"}", "no type")]
    [InlineData("[1,2]", "not a JSON activity")]
    public async Task MalformedActivitiesAreRefusedAndNothingIsStored(string body, string titlePart)
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        using var request = new HttpRequestMessage(
            HttpMethod.Post, $"/v3/directline/conversations/{c.ConversationId}/activities")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
        var response = await _dl.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(titlePart, problem.GetProperty("title").GetString());
        Assert.Single((await _dl.GetAsync(c, ct: Ct)).Activities); // the welcome only
    }

    private HttpRequestMessage Upload(
        DirectLineTestClient.Started c, params (byte[] Bytes, string Type, string Name)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (bytes, type, name) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "file", name);
        }
        var activityPart = new StringContent("""{"type":"message","from":{"id":"u"},"text":"楼道漏水"}""");
        activityPart.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.microsoft.activity");
        form.Add(activityPart, "activity", "blob");
        var upload = $"/v3/directline/conversations/{c.ConversationId}/upload?userId=u";
        var request = new HttpRequestMessage(HttpMethod.Post, upload) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
        return request;
    }

    [Fact]
    public async Task UploadedPhotosArriveAsAttachmentsAndAreServedBack()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        var png = Convert.FromBase64String(ResidentChat.OnePixelPng);
        using var request = Upload(c, (png, "application/octet-stream", "IMG_0001"));
        Assert.Equal(HttpStatusCode.OK, (await _dl.Http.SendAsync(request, Ct)).StatusCode);

        var (activities, _) = await _dl.GetAsync(c, "1", ct: Ct);
        var attachment = Assert.Single(activities[0].GetProperty("attachments").EnumerateArray());
        Assert.Equal("楼道漏水", Text(activities[0]));
        // The type is what the bytes are, whatever the sender declared; the name is the server's.
        Assert.Equal("image/png", attachment.GetProperty("contentType").GetString());
        Assert.Matches("^[0-9a-f]{32}\\.png$", attachment.GetProperty("name").GetString());

        var image = await _dl.Http.GetAsync(attachment.GetProperty("contentUrl").GetString(), Ct);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", image.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task APageDeclaredAsAPhotoIsRefusedAndNothingOfTheUploadIsKept()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        var db = _app.Services.GetRequiredService<Linli.Storage.LiteDb.LinliDatabase>();
        var before = db.FileStorage.FindAll().Count();
        using var request = Upload(c, (Convert.FromBase64String(ResidentChat.OnePixelPng), "image/png", "leak.png"),
            ("<script>alert(1)</script>"u8.ToArray(), "image/png", "x.html"));
        var response = await _dl.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, db.FileStorage.FindAll().Count());
        Assert.Single((await _dl.GetAsync(c, ct: Ct)).Activities); // the welcome only
    }

    [Fact]
    public async Task TheBotCanSpeakFirstIntoTheResidentsChat()
    {
        var c = await _dl.StartAsUserAsync(ct: Ct);
        await _dl.PostAsync(c, DirectLineTestClient.Message("报修"), ct: Ct);
        var (before, watermark) = await _dl.GetAsync(c, ct: Ct);
        var userId = before[1].GetProperty("from").GetProperty("id").GetString()!;

        var references = _app.Services.GetRequiredService<IConversationReferenceStore>();
        var reference = await references.FindAsync("directline", userId, Ct);
        var messenger = _app.Services.GetRequiredService<IProactiveMessenger>();
        await messenger.SendAsync(reference!, new Linli.Bot.Schema.Activity { Text = "维修师傅已出发" }, Ct);

        var pushed = Assert.Single((await _dl.GetAsync(c, watermark, ct: Ct)).Activities);
        Assert.Equal("维修师傅已出发", Text(pushed));
        Assert.Equal(userId, pushed.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("bot", pushed.GetProperty("from").GetProperty("role").GetString());
    }

    [Fact]
    public async Task WebChatMayCallFromAnotherOrigin()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v3/directline/conversations");
        preflight.Headers.Add("Origin", "https://community.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add(
            "Access-Control-Request-Headers", "authorization,content-type,x-ms-bot-agent,x-requested-with");
        var response = await _dl.Http.SendAsync(preflight, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("x-ms-bot-agent", allowed);
        Assert.Contains("authorization", allowed);
    }
}
