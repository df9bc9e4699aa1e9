using System.Globalization;

namespace Linli.Channels.WeChat;

/// <summary>
/// One message or event pushed to the callback URL, as an Official Account (接收普通消息, 接收事件推送) or a WeCom
/// app receives it. Fields a type does not use are null; names follow the XML element names.
/// </summary>
public sealed record WeChatMessage
{
    /// <summary>The account written to: the 公众号's original id (gh_…), or the CorpId.</summary>
    public required string ToUserName { get; init; }
    /// <summary>The sender: an OpenID (公众号) or a WeCom UserID.</summary>
    public required string FromUserName { get; init; }
    public required DateTimeOffset CreateTime { get; init; }
    /// <summary>text, image, voice, video, shortvideo, location, link, or event.</summary>
    public required string MsgType { get; init; }
    /// <summary>A 64-bit id on user messages; events have none.</summary>
    public long? MsgId { get; init; }
    public string? Content { get; init; }
    public string? PicUrl { get; init; }
    public string? MediaId { get; init; }
    /// <summary>Voice format, e.g. amr or speex.</summary>
    public string? Format { get; init; }
    /// <summary>Speech recognised by WeChat from a voice message, when the account has it switched on.</summary>
    public string? Recognition { get; init; }
    /// <summary>Latitude (the XML's Location_X).</summary>
    public double? LocationX { get; init; }
    /// <summary>Longitude (the XML's Location_Y).</summary>
    public double? LocationY { get; init; }
    /// <summary>Map zoom the location was picked at.</summary>
    public int? Scale { get; init; }
    /// <summary>The place's name as the sender's map gave it.</summary>
    public string? Label { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    /// <summary>subscribe, unsubscribe, SCAN, LOCATION, CLICK, VIEW, … when <see cref="MsgType"/> is event.</summary>
    public string? Event { get; init; }
    /// <summary>A menu item's key (CLICK), its URL (VIEW), or qrscene_… of a QR code followed from.</summary>
    public string? EventKey { get; init; }
    /// <summary>The ticket of the QR code scanned.</summary>
    public string? Ticket { get; init; }
    /// <summary>The WeCom app written to (the XML's AgentID); null for an Official Account.</summary>
    public int? AgentId { get; init; }

    /// <summary>
    /// What a retry repeats: WeChat resends a push it got no answer to within 5 s, three times. The docs name MsgId
    /// for messages and FromUserName + CreateTime for events, which have no MsgId.
    /// </summary>
    /// <remarks>
    /// An event's key also names the event: a location report and a menu click in the same second are two events.
    /// </remarks>
    public string DedupKey => MsgId is { } id
        ? id.ToString(CultureInfo.InvariantCulture)
        : $"{FromUserName}|{CreateTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}|{Event}|{EventKey}";
}

/// <summary>
/// The outer body of a safe-mode push: only the ciphertext (and in WeCom the app) is readable before decrypting.
/// </summary>
public sealed record WeChatEnvelope(string? ToUserName, string Encrypt, int? AgentId);

/// <summary>One article of a news (图文) reply.</summary>
public sealed record WeChatArticle(string Title, string Description, string PicUrl, string Url);
