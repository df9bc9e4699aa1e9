using System.Globalization;
using System.Text;
using Linli.Channels.WeChat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeCom;

/// <summary>
/// <c>GET/POST /api/wecom</c>, the app's 接收消息 URL. WeCom checks the URL with a signed GET whose sealed
/// <c>echostr</c> must come back opened; then it posts each message sealed (WeCom has no plain mode) and reads a
/// sealed passive reply from the response. What is not signed with the app's token is refused before it is opened,
/// and nothing of it is kept.
/// </summary>
public static class WeComApi
{
    public const string Path = "/api/wecom";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var wecom = routes.MapGroup(Path).WithTags("WeCom").DisableAntiforgery()
            .RequireRateLimiting(Hosting.RateLimits.Messages);
        wecom.MapGet("", Verify).WithSummary("WeCom's check of the callback URL: the opened echostr when signed");
        wecom.MapPost("", ReceiveAsync).WithSummary("A message from a member of staff (sealed XML)");
        return routes;
    }

    private static IResult Verify(
        [FromQuery(Name = "msg_signature")] string? msgSignature, string? timestamp, string? nonce, string? echostr,
        IOptions<WeComOptions> options, ILogger<WeComReplies> logger)
    {
        var o = options.Value;
        if (!o.CallbackEnabled) return NotConfigured();
        // Base64 holds no spaces: a '+' that reached us unescaped was read as one.
        var sealedEcho = echostr?.Replace(' ', '+');
        try
        {
            return Results.Text(Crypto(o).VerifyAndDecrypt(msgSignature, timestamp, nonce, sealedEcho), "text/plain");
        }
        catch (WeChatCryptoException ex)
        {
            logger.LogWarning("Refused a WeCom URL check: {Reason}", ex.Reason);
            return ex.Reason == WeChatCryptoFailure.BadSignature ? Refused() : Bad(ex.Message);
        }
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http,
        [FromQuery(Name = "msg_signature")] string? msgSignature,
        string? timestamp,
        string? nonce,
        WeComReplies replies,
        IOptions<WeComOptions> options,
        TimeProvider time,
        StaleCallbackLog stale,
        ILogger<WeComReplies> logger,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.CallbackEnabled) return NotConfigured();
        var body = await WeChatApi.ReadAsync(http.Request, o.MaxBodyBytes, cancellationToken);
        if (body is null)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large",
                detail: $"A WeCom message is at most {o.MaxBodyBytes} bytes.");
        var crypto = Crypto(o);
        WeChatMessage message;
        try
        {
            var envelope = WeChatXml.ParseEnvelope(body);
            message = WeChatXml.Parse(crypto.VerifyAndDecrypt(msgSignature, timestamp, nonce, envelope.Encrypt));
        }
        catch (WeChatCryptoException ex)
        {
            logger.LogWarning("Refused a WeCom message: {Reason}", ex.Reason);
            return ex.Reason == WeChatCryptoFailure.BadSignature ? Refused() : Bad(ex.Message);
        }
        catch (WeChatFormatException ex)
        {
            return Bad(ex.Message);
        }
        // Signed, so the timestamp is WeCom's: a message copied from a log is refused once its key may be forgotten.
        if (!WeChatApi.Fresh(timestamp, o.MaxClockSkewSeconds, time))
        {
            stale.Refused("WeCom", timestamp, o.MaxClockSkewSeconds);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Too old",
                detail: "The timestamp is not within minutes of now.");
        }
        // Sealed for our CorpId, so from our organisation; and written to this app, not another of its apps.
        if (message.AgentId is { } agent && o.AgentId != 0 && agent != o.AgentId)
            return Bad("The message was written to another app (AgentID).");
        var reply = await replies.ReceiveAsync(message, cancellationToken);
        if (reply is null) return Results.Text("", "text/plain");
        var now = DateTimeOffset.UtcNow;
        var xml = WeChatXml.TextReply(message.FromUserName, message.ToUserName, now, reply);
        var sealedReply = crypto.EncryptReply(
            xml, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), nonce ?? "");
        return Results.Text(sealedReply, "application/xml", Encoding.UTF8);
    }

    private static WeChatCrypto Crypto(WeComOptions o) => new(o.Token!, o.EncodingAESKey!, o.CorpId!);

    private static IResult Refused() => Results.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Not signed", detail: "msg_signature does not match this app's token.");

    private static IResult Bad(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a WeCom message", detail: detail);

    private static IResult NotConfigured() => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "WeCom is not set up", detail: "Set WeCom:CorpId, WeCom:Token and WeCom:EncodingAESKey.");
}
