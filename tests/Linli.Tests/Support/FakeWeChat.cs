using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Linli.Tests.Support;

/// <summary>
/// What stands in for WeChat's API servers, on a real Kestrel port, speaking their wire format: access tokens
/// (<c>/cgi-bin/token</c>), customer-service and template messages, the menu, media downloads and web authorization,
/// with WeChat's error codes: 40001/42001 for a token it no longer honours, 45015 outside the 48-hour window.
/// </summary>
public sealed class FakeWeChat : IAsyncDisposable
{
    public const string AppId = "wx-test-app";
    public const string AppSecret = "test-secret";

    public sealed record Sent(string OpenId, string Kind, JsonElement Body);

    private readonly WebApplication _app;
    private int _tokens;
    private volatile string _valid = "";

    public ConcurrentQueue<Sent> Messages { get; } = new();
    public ConcurrentQueue<JsonElement> Menus { get; } = new();
    /// <summary>Users WeChat says are outside the customer-service window (45015).</summary>
    public ConcurrentDictionary<string, bool> OutsideWindow { get; } = new();
    /// <summary>Web authorization codes and the openid each stands for.</summary>
    public ConcurrentDictionary<string, string> Codes { get; } = new();
    /// <summary>Media ids and their bytes.</summary>
    public ConcurrentDictionary<string, byte[]> Media { get; } = new();
    public int TokensIssued => _tokens;
    public string BaseUrl { get; private set; } = "";

    private FakeWeChat()
    {
        _app = LoopbackServer.Create();
        _app.MapGet("/cgi-bin/token", (string? appid, string? secret) =>
        {
            if (appid != AppId || secret != AppSecret)
                return Results.Json(new { errcode = 40013, errmsg = "invalid appid" });
            _valid = $"token-{Interlocked.Increment(ref _tokens)}";
            return Results.Json(new { access_token = _valid, expires_in = 7200 });
        });
        _app.MapPost("/cgi-bin/message/custom/send", (string? access_token, JsonElement body) =>
            Send(access_token, body, "custom"));
        _app.MapPost("/cgi-bin/message/template/send", (string? access_token, JsonElement body) =>
            Send(access_token, body, "template"));
        _app.MapPost("/cgi-bin/menu/create", (string? access_token, JsonElement body) =>
        {
            if (access_token != _valid) return Expired();
            Menus.Enqueue(body);
            return Results.Json(new { errcode = 0, errmsg = "ok" });
        });
        _app.MapGet("/cgi-bin/media/get", (string? access_token, string? media_id) =>
        {
            if (access_token != _valid) return Expired();
            return media_id is not null && Media.TryGetValue(media_id, out var bytes)
                ? Results.Bytes(bytes, "image/jpeg")
                : Results.Json(new { errcode = 40007, errmsg = "invalid media_id" });
        });
        _app.MapGet("/sns/oauth2/access_token", (string? appid, string? code) =>
            appid == AppId && code is not null && Codes.TryRemove(code, out var openId)
                ? Results.Json(new { access_token = "web", expires_in = 7200, openid = openId, scope = "snsapi_base" })
                : Results.Json(new { errcode = 40029, errmsg = "invalid code" }));
    }

    /// <summary>The next sends WeChat answers "system busy" (-1) to, before taking them again.</summary>
    public int BusyFor;
    public int BusyAnswers;

    private IResult Send(string? token, JsonElement body, string kind)
    {
        if (token != _valid) return Expired();
        if (Interlocked.Decrement(ref BusyFor) >= 0 && Interlocked.Increment(ref BusyAnswers) > 0)
            return Results.Json(new { errcode = -1, errmsg = "system error" });
        var openId = body.GetProperty("touser").GetString()!;
        if (kind == "custom" && OutsideWindow.ContainsKey(openId))
            return Results.Json(new { errcode = 45015, errmsg = "response out of time limit" });
        Messages.Enqueue(new Sent(openId, kind, body.Clone()));
        return Results.Json(new { errcode = 0, errmsg = "ok" });
    }

    private static IResult Expired() => Results.Json(new { errcode = 42001, errmsg = "access_token expired" });

    /// <summary>
    /// WeChat forgets the token it gave (as when it expires early or another server fetched a new one).
    /// </summary>
    public void ExpireToken() => _valid = "";

    public static async Task<FakeWeChat> StartAsync()
    {
        var wechat = new FakeWeChat();
        wechat.BaseUrl = await LoopbackServer.StartAsync(wechat._app);
        return wechat;
    }

    /// <summary>
    /// The texts sent to <paramref name="openId"/> as customer-service messages, once there are <paramref
    /// name="count"/>.
    /// </summary>
    public async Task<List<string>> WaitForTextsAsync(string openId, int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        List<string> Texts() => [.. Messages.Where(m => m.OpenId == openId && m.Kind == "custom")
            .Select(m => m.Body.GetProperty("text").GetProperty("content").GetString()!)];
        while (Texts().Count < count && DateTime.UtcNow < until) await Task.Delay(20);
        return Texts();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
