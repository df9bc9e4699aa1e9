using System.Text.Json;
using System.Text.Json.Nodes;
using Linli.Hosting;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeChat;

/// <summary>What a WeChat API answered: <c>errcode</c> 0 is success.</summary>
public readonly record struct WeChatResult(int ErrCode, string? ErrMsg)
{
    public bool Ok => ErrCode == 0;

    /// <summary>
    /// The access token was invalid (40001, 40014) or expired (42001): fetch another and try once more.
    /// </summary>
    public bool TokenRefused => ErrCode is 40001 or 40014 or 42001;

    /// <summary>
    /// The user is outside the customer-service window (45015: no message from them for 48 hours), has had as many
    /// customer-service messages as WeChat allows until they write again (45047), or has unfollowed (43004): only a
    /// template message can still reach them, if any.
    /// </summary>
    public bool OutsideWindow => ErrCode is 45015 or 43004 or 45047;

    /// <summary>
    /// Worth another try later: WeChat busy (-1), unreachable or slow, no access token to be had (an IP not yet
    /// whitelisted, a secret being fixed), or a call-frequency limit (45009).
    /// </summary>
    public bool Transient => ErrCode is -1 or WeChatClient.Unreachable or WeChatClient.NoToken or 45009;

    public override string ToString() => $"{ErrCode} {ErrMsg}";
}

/// <summary>
/// The service account's side of WeChat's HTTP APIs that Linli uses: customer-service and template messages, the
/// custom menu, media downloads and web authorization. Every call carries the shared access token and, when WeChat
/// refuses the token, fetches another and tries once more.
/// </summary>
public sealed class WeChatClient
{
    public const string HttpClientName = "wechat";

    /// <summary>The code this client reports when WeChat could not be reached at all, or not in time.</summary>
    public const int Unreachable = -2;

    /// <summary>The code this client reports when WeChat gave no access token (the reason is in the message).</summary>
    public const int NoToken = -3;

    /// <summary>A photo larger than this is not fetched (WeChat's own limit for images is 10 MB).</summary>
    public const int MaxMediaBytes = 10 * 1024 * 1024;

    private readonly IHttpClientFactory _factory;
    private readonly WeChatOptions _options;
    private readonly AccessTokenCache _tokens;

    /// <summary>One per process (a singleton): every caller shares its access token.</summary>
    public WeChatClient(IHttpClientFactory factory, IOptions<WeChatOptions> options, TimeProvider time,
        IClusterValues? cluster = null, IClusterLeases? leases = null)
    {
        _factory = factory;
        _options = options.Value;
        _tokens = new AccessTokenCache(FetchTokenAsync, time, $"wechat-token:{_options.AppId}", cluster, leases);
    }

    private HttpClient Http => _factory.CreateClient(HttpClientName);

    /// <summary>A transport failure, or a time-out that is not the caller's own cancellation.</summary>
    private static bool Failed(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or JsonException
        || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    public Task<WeChatResult> SendTextAsync(string openId, string text, CancellationToken cancellationToken) =>
        PostAsync("/cgi-bin/message/custom/send", new JsonObject
        {
            ["touser"] = openId,
            ["msgtype"] = "text",
            ["text"] = new JsonObject { ["content"] = text },
        }, cancellationToken);

    public Task<WeChatResult> SendTemplateAsync(
        string openId, string templateId, string? url, IReadOnlyDictionary<string, string> fields,
        CancellationToken cancellationToken)
    {
        var data = new JsonObject();
        foreach (var (name, value) in fields) data[name] = new JsonObject { ["value"] = value };
        var body = new JsonObject { ["touser"] = openId, ["template_id"] = templateId, ["data"] = data };
        if (url is not null) body["url"] = url;
        return PostAsync("/cgi-bin/message/template/send", body, cancellationToken);
    }

    public Task<WeChatResult> CreateMenuAsync(IEnumerable<WeChatMenuButton> menu, CancellationToken cancellationToken)
    {
        static JsonObject Button(WeChatMenuButton b) => b.SubButtons.Count > 0
            ? new JsonObject { ["name"] = b.Name, ["sub_button"] = new JsonArray([.. b.SubButtons.Select(Button)]) }
            : b.Url is { Length: > 0 } url
                ? new JsonObject { ["type"] = "view", ["name"] = b.Name, ["url"] = url }
                : new JsonObject { ["type"] = "click", ["name"] = b.Name, ["key"] = b.Key ?? b.Name };
        return PostAsync("/cgi-bin/menu/create",
            new JsonObject { ["button"] = new JsonArray([.. menu.Select(Button)]) }, cancellationToken);
    }

    /// <summary>A temporary medium a user sent (a photo): its bytes, or the reason WeChat gave none.</summary>
    public async Task<(byte[]? Bytes, WeChatResult Result)> GetMediaAsync(
        string mediaId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string token;
            try { token = await _tokens.GetAsync(cancellationToken); }
            catch (WeChatApiException ex) { return (null, NoTokenFrom(ex)); }
            var url = $"{Base}/cgi-bin/media/get?access_token={Escape(token)}&media_id={Escape(mediaId)}";
            try
            {
                using var response =
                    await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.Content.Headers.ContentLength > MaxMediaBytes)
                    return (null, new WeChatResult(Unreachable, "medium too large"));
                var bytes = await ReadAtMostAsync(response.Content, MaxMediaBytes, cancellationToken);
                if (bytes is null) return (null, new WeChatResult(Unreachable, "medium too large"));
                var isJson = response.Content.Headers.ContentType?.MediaType is "application/json" or "text/plain";
                if (response.IsSuccessStatusCode && !isJson) return (bytes, new WeChatResult(0, null));
                var result = isJson ? Read(bytes) : new WeChatResult(Unreachable, $"HTTP {(int)response.StatusCode}");
                if (result.TokenRefused && attempt == 0)
                {
                    _tokens.Invalidate(token);
                    continue;
                }
                return (null, result);
            }
            catch (Exception ex) when (Failed(ex, cancellationToken))
            {
                return (null, new WeChatResult(Unreachable, ex.Message));
            }
        }
    }

    /// <summary>Web authorization: the code WeChat put on the redirect, exchanged for the user's openid.</summary>
    public async Task<string?> OpenIdForCodeAsync(string code, CancellationToken cancellationToken)
    {
        var url = $"{Base}/sns/oauth2/access_token?appid={Escape(_options.AppId)}&secret={Escape(_options.AppSecret)}" +
                  $"&code={Escape(code)}&grant_type=authorization_code";
        try
        {
            var body = await Http.GetFromJsonAsync<JsonElement>(url, cancellationToken);
            return body.TryGetProperty("openid", out var openId) ? openId.GetString() : null;
        }
        catch (Exception ex) when (Failed(ex, cancellationToken))
        {
            return null;
        }
    }

    private string Base => _options.ApiBase.TrimEnd('/');

    private static string Escape(string? value) => Uri.EscapeDataString(value ?? "");

    private async Task<WeChatResult> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string token;
            try { token = await _tokens.GetAsync(cancellationToken); }
            catch (WeChatApiException ex) { return NoTokenFrom(ex); }
            WeChatResult result;
            try
            {
                using var response = await Http.PostAsync($"{Base}{path}?access_token={Escape(token)}",
                    new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
                    cancellationToken);
                result = response.IsSuccessStatusCode
                    ? Read(await response.Content.ReadAsByteArrayAsync(cancellationToken))
                    : new WeChatResult(Unreachable, $"HTTP {(int)response.StatusCode}");
            }
            catch (Exception ex) when (Failed(ex, cancellationToken))
            {
                return new WeChatResult(Unreachable, ex.Message);
            }
            if (!result.TokenRefused || attempt > 0) return result;
            _tokens.Invalidate(token);
        }
    }

    private async Task<(string Token, int ExpiresIn)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var url = $"{Base}/cgi-bin/token?grant_type=client_credential" +
                  $"&appid={Escape(_options.AppId)}&secret={Escape(_options.AppSecret)}";
        try
        {
            using var response = await Http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (body.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value)
                return (value, body.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 7200);
            throw new WeChatApiException(Read(body));
        }
        catch (Exception ex) when (Failed(ex, cancellationToken))
        {
            throw new WeChatApiException(new WeChatResult(Unreachable, ex.Message));
        }
    }

    /// <summary>
    /// No token: WeChat's reason (40164 an IP not whitelisted, 40125 a wrong secret…) kept in the message.
    /// </summary>
    internal static WeChatResult NoTokenFrom(WeChatApiException ex) => new(NoToken, $"no access token: {ex.Result}");

    private static async Task<byte[]?> ReadAtMostAsync(HttpContent content, int max, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static WeChatResult Read(byte[] json)
    {
        try { return Read(JsonSerializer.Deserialize<JsonElement>(json)); }
        catch (JsonException ex) { return new WeChatResult(Unreachable, ex.Message); }
    }

    private static WeChatResult Read(JsonElement body) => new(
        body.TryGetProperty("errcode", out var code) && code.TryGetInt32(out var value) ? value : 0,
        body.TryGetProperty("errmsg", out var message) ? message.GetString() : null);
}

/// <summary>WeChat refused to give an access token (a wrong AppSecret, an address not on the IP whitelist).</summary>
public sealed class WeChatApiException(WeChatResult result) : Exception($"WeChat API error {result}")
{
    public WeChatResult Result { get; } = result;
}
