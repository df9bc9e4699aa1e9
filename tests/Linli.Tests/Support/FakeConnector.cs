using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Linli.Tests.Support;

/// <summary>
/// What stands in for the Bot Framework cloud, on a real Kestrel port: the Connector's activities API
/// (recording what the bot sends), an OpenID metadata document with its signing keys, and a token endpoint.
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    public sealed record Received(string RawTarget, string? Authorization, JsonElement Body);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _failures = new();
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key-1" };

    public ConcurrentQueue<Received> Activities { get; } = new();
    public ConcurrentQueue<string> TokenRequests { get; } = new();
    public string BaseUrl { get; private set; } = "";
    public string MetadataUrl => BaseUrl + "/.well-known/openidconfiguration";
    public string TokenUrl => BaseUrl + "/token";

    private FakeConnector()
    {
        _app = LoopbackServer.Create();
        _app.MapPost("/v3/conversations/{**rest}", async (HttpContext http) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            Activities.Enqueue(new Received(http.Features.Get<IHttpRequestFeature>()!.RawTarget,
                http.Request.Headers.Authorization.FirstOrDefault(), body));
            if (_failures.TryDequeue(out var status)) return Results.StatusCode(status);
            return Results.Ok(new { id = Guid.NewGuid().ToString("n") });
        });
        _app.MapGet("/.well-known/openidconfiguration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = "https://api.botframework.com",
            ["jwks_uri"] = BaseUrl + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _app.MapGet("/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
            var key = new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, n = jwk.N, e = jwk.E };
            return Results.Json(new { keys = new[] { key } });
        });
        _app.MapPost("/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            TokenRequests.Enqueue(string.Join("&", form.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}")));
            return Results.Json(new { token_type = "Bearer", expires_in = 3600, access_token = "outgoing-token" });
        });
    }

    public static async Task<FakeConnector> StartAsync()
    {
        var connector = new FakeConnector();
        connector.BaseUrl = await LoopbackServer.StartAsync(connector._app);
        return connector;
    }

    /// <summary>The next activity posts answer with these statuses before succeeding again.</summary>
    public void FailNext(params int[] statuses)
    {
        foreach (var s in statuses) _failures.Enqueue(s);
    }

    public async Task<List<Received>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Activities.Count < count && DateTime.UtcNow < until) await Task.Delay(20);
        return [.. Activities];
    }

    /// <summary>A token as the Connector signs it; every claim can be bent to test the checks.</summary>
    public string IssueToken(string audience, string serviceUrl, TimeSpan? lifetime = null, bool foreignKey = false,
        string issuer = "https://api.botframework.com")
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        var key = foreignKey ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" } : _key;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddHours(-2),
            NotBefore = expires.AddHours(-2),
            Expires = expires,
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
