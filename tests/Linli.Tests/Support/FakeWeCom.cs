using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Linli.Tests.Support;

/// <summary>
/// What stands in for WeCom's API servers (qyapi), on a real Kestrel port, speaking their JSON: an access token from
/// <c>/cgi-bin/gettoken</c> for the right corpid and secret, app messages through <c>/cgi-bin/message/send</c>, with
/// WeCom's error codes: 42001 for a token it has let expire, 40014 for one it never gave, 81013 with
/// <c>invaliduser</c> for a member it does not have.
/// </summary>
public sealed class FakeWeCom : IAsyncDisposable
{
    public const string CorpId = "ww-test-corp";
    public const string Secret = "wecom-test-secret";
    public const int AgentId = 1000002;

    public sealed record Sent(string UserId, JsonElement Body)
    {
        public string Text => Body.GetProperty("text").GetProperty("content").GetString()!;
    }

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _issued = new();
    private int _tokens;
    private volatile string _valid = "";

    /// <summary>The organisation's members, as in its address book (通讯录).</summary>
    public ConcurrentDictionary<string, bool> Members { get; } = new() { ["manager"] = true, ["repair1"] = true };
    public ConcurrentQueue<Sent> Messages { get; } = new();
    public int TokensIssued => _tokens;
    public string BaseUrl { get; private set; } = "";

    private FakeWeCom()
    {
        _app = LoopbackServer.Create();
        _app.MapGet("/cgi-bin/gettoken", (string? corpid, string? corpsecret) =>
        {
            if (corpid != CorpId) return Results.Json(new { errcode = 40013, errmsg = "invalid corpid" });
            if (corpsecret != Secret) return Results.Json(new { errcode = 40001, errmsg = "invalid credential" });
            _valid = $"wecom-token-{Interlocked.Increment(ref _tokens)}";
            _issued[_valid] = true;
            return Results.Json(new { errcode = 0, errmsg = "ok", access_token = _valid, expires_in = 7200 });
        });
        _app.MapPost("/cgi-bin/message/send", (string? access_token, JsonElement body) =>
        {
            if (access_token != _valid)
                return access_token is not null && _issued.ContainsKey(access_token)
                    ? Results.Json(new { errcode = 42001, errmsg = "access_token expired" })
                    : Results.Json(new { errcode = 40014, errmsg = "invalid access_token" });
            if (body.GetProperty("agentid").GetInt32() != AgentId)
                return Results.Json(new { errcode = 40056, errmsg = "invalid agentid" });
            var userId = body.GetProperty("touser").GetString()!;
            if (!Members.ContainsKey(userId))
                return Results.Json(
                    new { errcode = 81013, errmsg = "user & party & tag all invalid", invaliduser = userId });
            Messages.Enqueue(new Sent(userId, body.Clone()));
            return Results.Json(new { errcode = 0, errmsg = "ok", invaliduser = "", msgid = $"m{Messages.Count}" });
        });
    }

    /// <summary>WeCom lets its token expire (as when it does early, or another server fetched a new one).</summary>
    public void ExpireToken() => _valid = "";

    public static async Task<FakeWeCom> StartAsync()
    {
        var wecom = new FakeWeCom();
        wecom.BaseUrl = await LoopbackServer.StartAsync(wecom._app);
        return wecom;
    }

    /// <summary>The app messages sent to <paramref name="userId"/>, once there are <paramref name="count"/>.</summary>
    public async Task<List<string>> WaitForTextsAsync(string userId, int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        List<string> Texts() => [.. Messages.Where(m => m.UserId == userId).Select(m => m.Text)];
        while (Texts().Count < count && DateTime.UtcNow < until) await Task.Delay(20);
        return Texts();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
