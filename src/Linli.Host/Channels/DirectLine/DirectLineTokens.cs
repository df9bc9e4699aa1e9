using System.Security.Cryptography;
using Linli.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Linli.Channels.DirectLine;

/// <summary>What a valid Direct Line token allows: one conversation, optionally as one user.</summary>
public sealed record DirectLineGrant(string ConversationId, string? UserId, DateTimeOffset Expires);

/// <summary>
/// Signed, expiring tokens bound to one conversation (HS256 JWTs). The signing key is made once and kept
/// in the database, so tokens stay valid across a restart.
/// </summary>
public sealed class DirectLineTokens
{
    private const string Issuer = "linli-directline";
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SymmetricSecurityKey _key;
    private readonly DirectLineOptions _options;
    private readonly TimeProvider _time;

    public DirectLineTokens(LinliDatabase db, IOptions<DirectLineOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _key = new SymmetricSecurityKey(Convert.FromBase64String(SigningKey(db)));
    }

    public int LifetimeSeconds => _options.TokenMinutes * 60;

    public string Issue(string conversationId, string? userId)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["conv"] = conversationId };
        if (userId is not null) claims["user"] = userId;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(LifetimeSeconds),
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <returns>The grant, or null when the token is not ours, tampered with or expired.</returns>
    public async Task<DirectLineGrant?> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = _key,
            // Expiry by our clock, so tests can move it.
            ValidateLifetime = true,
            LifetimeValidator = (_, expires, _, _) => expires is { } e && e > _time.GetUtcNow().UtcDateTime,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return null;
        if (!jwt.TryGetPayloadValue<string>("conv", out var conversationId)) return null;
        jwt.TryGetPayloadValue<string>("user", out var userId);
        return new DirectLineGrant(conversationId, userId, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }

    /// <summary>True when <paramref name="presented"/> is the configured Direct Line secret.</summary>
    public bool IsSecret(string presented) =>
        !string.IsNullOrEmpty(_options.Secret)
        && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(presented), System.Text.Encoding.UTF8.GetBytes(_options.Secret));

    private static string SigningKey(LinliDatabase db)
    {
        const string id = "directline.signingKey";
        if (db.Settings.FindById(id) is { } existing) return existing.Value;
        var created = new SettingRecord(id, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        db.Settings.Insert(created);
        return created.Value;
    }
}
