using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeChat;

/// <summary>
/// <c>GET/POST /api/wechat</c>, the service account's server address (服务器地址): WeChat checks the address with a
/// signed GET, then posts each message as XML, plain or sealed (安全模式), and reads the reply from the response.
/// Anything not signed with the account's token is refused before it is read further, and nothing of it is kept.
/// </summary>
public static class WeChatApi
{
    public const string Path = "/api/wechat";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var wechat = routes.MapGroup(Path).WithTags("WeChat").DisableAntiforgery()
            .RequireRateLimiting(Hosting.RateLimits.Messages);
        wechat.MapGet("", Verify).WithSummary("WeChat's check of the server address: echoes echostr when signed");
        wechat.MapPost("", ReceiveAsync).WithSummary("A message or event from a follower (XML, plain or safe mode)");
        return routes;
    }

    private static IResult Verify(
        string? signature, string? timestamp, string? nonce, string? echostr, IOptions<WeChatOptions> options)
    {
        var o = options.Value;
        if (!o.Enabled) return NotConfigured();
        if (!Signed(o, signature, timestamp, nonce)) return Refused();
        return Results.Text(echostr ?? "", "text/plain");
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http,
        string? signature,
        string? timestamp,
        string? nonce,
        string? openid,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "encrypt_type")] string? encryptType,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "msg_signature")] string? msgSignature,
        WeChatChannel channel,
        IOptions<WeChatOptions> options,
        IConfiguration configuration,
        TimeProvider time,
        StaleCallbackLog stale,
        ILogger<WeChatChannel> logger,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled) return NotConfigured();
        if (!Signed(o, signature, timestamp, nonce)) return Refused();
        // Plain mode's signature does not cover the body: only a fresh request, once, is taken as WeChat's.
        if (!Fresh(timestamp, o.MaxClockSkewSeconds, time))
        {
            stale.Refused("WeChat", timestamp, o.MaxClockSkewSeconds);
            return Refused("The timestamp is not within minutes of now.");
        }
        if (!await channel.FirstRequestAsync(timestamp!, nonce!, signature!)) return Results.Text("success", "text/plain");
        var body = await ReadAsync(http.Request, o.MaxBodyBytes, cancellationToken);
        if (body is null)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large",
                detail: $"A WeChat message is at most {o.MaxBodyBytes} bytes.");

        var safe = string.Equals(encryptType, "aes", StringComparison.OrdinalIgnoreCase);
        var crypto = Crypto(o);
        if (safe && crypto is null)
            return Bad("A sealed message came, but WeChat:EncodingAESKey and WeChat:AppId are not set.");
        // With a message key set, the account is in safe mode: a message in the clear did not come from WeChat.
        if (!safe && crypto is not null) return Bad("This account takes sealed messages only (encrypt_type=aes).");
        WeChatMessage message;
        try
        {
            if (crypto is not null)
            {
                var envelope = WeChatXml.ParseEnvelope(body);
                message = WeChatXml.Parse(crypto.VerifyAndDecrypt(msgSignature, timestamp, nonce, envelope.Encrypt));
            }
            else
            {
                message = WeChatXml.Parse(body);
            }
        }
        catch (WeChatCryptoException ex)
        {
            logger.LogWarning("Refused a WeChat message: {Reason}", ex.Reason);
            return ex.Reason == WeChatCryptoFailure.BadSignature ? Refused() : Bad(ex.Message);
        }
        catch (WeChatFormatException ex)
        {
            return Bad(ex.Message);
        }
        // The query names the sender too; a message that says otherwise was not sent by WeChat for this user.
        if (openid is { Length: > 0 } && openid != message.FromUserName)
            return Bad("The message's FromUserName is not the openid of the request.");

        var origin = PublicOrigin(configuration, http.Request);
        var reply = await channel.ReceiveAsync(message, origin, cancellationToken);
        if (reply is null) return Results.Text("success", "text/plain");
        var xml = WeChatXml.TextReply(message.FromUserName, message.ToUserName, DateTimeOffset.UtcNow, reply);
        if (crypto is not null)
            xml = crypto.EncryptReply(xml,
                DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), nonce ?? "");
        return Results.Text(xml, "application/xml", Encoding.UTF8);
    }

    /// <summary>
    /// Chat:PublicUrl when set (behind a proxy the request's Host is not the public one), else the request's.
    /// </summary>
    internal static string PublicOrigin(IConfiguration configuration, HttpRequest request) =>
        configuration["Chat:PublicUrl"] is { Length: > 0 } site && Uri.TryCreate(site, UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Authority)
            : $"{request.Scheme}://{request.Host}";

    /// <summary>
    /// Whether a callback's timestamp (seconds since 1970) is within <paramref name="maxSkewSeconds"/> of now.
    /// </summary>
    internal static bool Fresh(string? timestamp, int maxSkewSeconds, TimeProvider time) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) <= maxSkewSeconds;

    private static bool Signed(WeChatOptions o, string? signature, string? timestamp, string? nonce) =>
        timestamp is not null && nonce is not null
        && WeChatCrypto.SignatureEquals(WeChatCrypto.Signature(o.Token!, timestamp, nonce), signature);

    private static WeChatCrypto? Crypto(WeChatOptions o) =>
        o.EncodingAESKey is { Length: > 0 } key && o.AppId is { Length: > 0 } appId
            ? new WeChatCrypto(o.Token!, key, appId)
            : null;

    /// <summary>The body as text, or null when it is longer than <paramref name="max"/> bytes.</summary>
    internal static async Task<string?> ReadAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static IResult Refused(string detail = "The signature does not match this account's token.") =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not signed", detail: detail);

    private static IResult Bad(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a WeChat message", detail: detail);

    private static IResult NotConfigured() => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "WeChat is not set up", detail: "Set WeChat:Token (and AppId, AppSecret) to use this channel.");
}
