using System.Text.Json;
using System.Text.Json.Nodes;
using Linli.Channels.WeChat;
using Linli.Hosting;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeCom;

/// <summary>
/// The app's side of WeCom's API that Linli uses: app messages (应用消息) to a member. WeCom answers in WeChat's
/// shape (<c>errcode</c>, <c>errmsg</c>), so a call reports a <see cref="WeChatResult"/> and never throws for what
/// WeCom says: 81013 (no such member, or outside the app's visible range), 60020 (this server's address is not
/// among the app's trusted IPs). One instance, so one access token, shared and renewed by
/// <see cref="AccessTokenCache"/>; a refused token (40001, 40014, 42001) is fetched anew and the call tried once more.
/// </summary>
public sealed class WeComClient
{
    public const string HttpClientName = "wecom";

    /// <summary>All of WeCom's recipients were invalid: what WeCom itself says for a single unknown member.</summary>
    public const int InvalidUser = 81013;

    private readonly IHttpClientFactory _http;
    private readonly WeComOptions _options;
    private readonly AccessTokenCache _tokens;

    public WeComClient(IHttpClientFactory http, IOptions<WeComOptions> options, TimeProvider time,
        IClusterValues? cluster = null, IClusterLeases? leases = null)
    {
        _http = http;
        _options = options.Value;
        _tokens = new AccessTokenCache(
            FetchTokenAsync, time, $"wecom-token:{_options.CorpId}:{_options.AgentId}", cluster, leases);
    }

    /// <summary>A text app message to one member (their userid), at most 2,048 bytes.</summary>
    public async Task<WeChatResult> SendTextAsync(string userId, string text, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["touser"] = userId,
            ["msgtype"] = "text",
            ["agentid"] = _options.AgentId,
            ["text"] = new JsonObject { ["content"] = text },
        };
        for (var attempt = 0; ; attempt++)
        {
            string token;
            try { token = await _tokens.GetAsync(cancellationToken); }
            catch (WeChatApiException ex) { return WeChatClient.NoTokenFrom(ex); }
            WeChatResult result;
            try
            {
                using var response = await _http.CreateClient(HttpClientName).PostAsync(
                    $"{Base}/cgi-bin/message/send?access_token={Escape(token)}",
                    new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
                    cancellationToken);
                result = response.IsSuccessStatusCode
                    ? await ReadSendAsync(response, cancellationToken)
                    : new WeChatResult(WeChatClient.Unreachable, $"HTTP {(int)response.StatusCode}");
            }
            catch (Exception ex) when (ex is HttpRequestException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return new WeChatResult(WeChatClient.Unreachable, ex.Message);
            }
            if (!result.TokenRefused || attempt > 0) return result;
            _tokens.Invalidate(token);
        }
    }

    private string Base => _options.ApiBase.TrimEnd('/');

    private static string Escape(string? value) => Uri.EscapeDataString(value ?? "");

    /// <summary>
    /// Success with the member named in <c>invaliduser</c> is no delivery: WeCom sends to the valid recipients of a
    /// list and names the rest, and there is one recipient here.
    /// </summary>
    private static async Task<WeChatResult> ReadSendAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var result = Read(body);
            if (result.Ok && body.TryGetProperty("invaliduser", out var invalid)
                          && invalid.ValueKind == JsonValueKind.String && invalid.GetString() is { Length: > 0 } who)
                return new WeChatResult(InvalidUser, $"invaliduser {who}");
            return result;
        }
        catch (JsonException ex)
        {
            return new WeChatResult(WeChatClient.Unreachable, ex.Message);
        }
    }

    private async Task<(string Token, int ExpiresIn)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var url = $"{Base}/cgi-bin/gettoken?corpid={Escape(_options.CorpId)}&corpsecret={Escape(_options.Secret)}";
        try
        {
            using var response = await _http.CreateClient(HttpClientName).GetAsync(url, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("access_token", out var token)
                && token.GetString() is { Length: > 0 } value)
                return (value, body.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 7200);
            throw new WeChatApiException(Read(body));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
                                   || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new WeChatApiException(new WeChatResult(WeChatClient.Unreachable, ex.Message));
        }
    }

    private static WeChatResult Read(JsonElement body) => body.ValueKind != JsonValueKind.Object
        ? new WeChatResult(WeChatClient.Unreachable, "The answer is not a JSON object.")
        : new WeChatResult(
            body.TryGetProperty("errcode", out var code) && code.TryGetInt32(out var value) ? value : 0,
            body.TryGetProperty("errmsg", out var message) ? message.GetString() : null);
}
