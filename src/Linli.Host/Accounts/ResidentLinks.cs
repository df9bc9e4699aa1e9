using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Linli.Accounts;

/// <summary>
/// A resident's way into Linli's web pages: a signed, short-lived, single-use link the bot gives them, naming their
/// bound flat. Following it shows a page with one button; only that button's POST signs in (so an image or a prefetch
/// that fetches the link signs nobody in), and uses the link up.
/// </summary>
public sealed class ResidentLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly byte[] _key;
    private readonly IResidentLinkStore _store;
    private readonly TimeProvider _time;
    private readonly string _base;

    /// <param name="configuration">"Chat:PublicUrl", e.g. https://linli.example.org: where residents reach Linli from
    /// other channels (WeChat, Teams). Without it links are relative, right for the Web Chat page on Linli's own
    /// origin.</param>
    public ResidentLinks(IResidentLinkStore store, TimeProvider time, IConfiguration? configuration = null)
    {
        _time = time;
        _store = store;
        _key = store.SigningKey();
        _base = PublicBase(configuration?["Chat:PublicUrl"]);
    }

    public sealed record Grant(string PersonId, string UnitId, string CommunityId);

    /// <summary>Person, unit, community, expiry (Unix seconds), and a nonce that makes the link single-use.</summary>
    private sealed record Claims(string P, string U, string C, long E, string? N);

    /// <returns>
    /// A URL (relative unless Chat:PublicUrl is set) that signs the resident in and goes to
    /// <paramref name="returnPath"/>.
    /// </returns>
    public string Create(Grant grant, string returnPath = "/")
    {
        var expires = (_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var claims = new Claims(grant.PersonId, grant.UnitId, grant.CommunityId, expires, nonce);
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        var token = payload + "." + Base64Url.EncodeToString(Sign(payload));
        return $"{_base}/auth/link?t={token}&return={Uri.EscapeDataString(returnPath)}";
    }

    /// <summary>Uses the link up: the grant once, null ever after (or when it is not valid).</summary>
    public Grant? Redeem(string? token)
    {
        if (Read(token) is not { } claims) return null;
        var used = _store.TryUse(claims.N!, DateTimeOffset.FromUnixTimeSeconds(claims.E), _time.GetUtcNow());
        return used ? new Grant(claims.P, claims.U, claims.C) : null;
    }

    /// <summary>Whether the link is genuine, unexpired and unused, without using it up.</summary>
    public Grant? Validate(string? token) =>
        Read(token) is { } claims && !_store.IsUsed(claims.N!) ? new Grant(claims.P, claims.U, claims.C) : null;

    private static string PublicBase(string? url) =>
        url is { Length: > 0 } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : "";

    private Claims? Read(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var dot = token.IndexOf('.');
        if (dot <= 0) return null;
        try
        {
            var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(token[..dot]))) return null;
            var claims = JsonSerializer.Deserialize<Claims>(Base64Url.DecodeFromChars(token.AsSpan(0, dot)));
            var expired = claims is not null && DateTimeOffset.FromUnixTimeSeconds(claims.E) <= _time.GetUtcNow();
            return claims?.N is not { Length: > 0 } || expired ? null : claims;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload));
}

/// <summary>A sign-in link already followed, kept until it would have expired anyway.</summary>
public sealed record UsedLink
{
    public required string Id { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
