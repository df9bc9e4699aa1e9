using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.Channels.DirectLine;

/// <summary>What a valid Direct Line token allows: one conversation, optionally as one user.</summary>
public sealed record DirectLineGrant(string ConversationId, string? UserId, DateTimeOffset Expires);

/// <summary>
/// Signed, expiring tokens bound to one conversation: <c>base64url(claims).base64url(HMAC-SHA256)</c>.
/// The signing key is made once and kept in the database, so tokens stay valid across a restart.
/// </summary>
/// <remarks>
/// Not JsonWebTokenHandler: its validation stalled every ~27th call for 5 s on a DNS lookup on a machine without
/// DNS (measured). These tokens are only ever read by this server, so a plain HMAC does the job in microseconds.
/// </remarks>
public sealed class DirectLineTokens
{
    private readonly byte[] _key;
    private readonly DirectLineOptions _options;
    private readonly TimeProvider _time;

    public DirectLineTokens(ISigningKeys keys, IOptions<DirectLineOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _key = keys.Load("directline.signingKey");
    }

    public int LifetimeSeconds => _options.TokenMinutes * 60;

    private sealed record Claims(string C, string? U, long E);

    public string Issue(string conversationId, string? userId)
    {
        var expires = _time.GetUtcNow().AddSeconds(LifetimeSeconds).ToUnixTimeSeconds();
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Claims(conversationId, userId, expires)));
        return payload + "." + Base64Url.EncodeToString(Sign(payload));
    }

    /// <returns>The grant, or null when the token is not ours, tampered with or expired.</returns>
    public Task<DirectLineGrant?> ValidateAsync(string token) => Task.FromResult(Validate(token));

    private DirectLineGrant? Validate(string token)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot == token.Length - 1) return null;
        var payload = token[..dot];
        byte[] signature;
        Claims? claims;
        try
        {
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(payload))) return null;
            claims = JsonSerializer.Deserialize<Claims>(Base64Url.DecodeFromChars(payload));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
        if (claims is null || string.IsNullOrEmpty(claims.C)) return null;
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.E);
        return expires > _time.GetUtcNow() ? new DirectLineGrant(claims.C, claims.U, expires) : null;
    }

    /// <summary>True when <paramref name="presented"/> is the configured Direct Line secret.</summary>
    public bool IsSecret(string presented) =>
        !string.IsNullOrEmpty(_options.Secret)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(_options.Secret));

    private byte[] Sign(string payload) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload));
}
