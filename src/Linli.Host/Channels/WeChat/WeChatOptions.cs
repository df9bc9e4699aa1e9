using System.ComponentModel.DataAnnotations;

namespace Linli.Channels.WeChat;

/// <summary>
/// A service account (服务号) pointed at Linli: the values its 基本配置 page shows, plus where WeChat's APIs live
/// (configurable so tests, and a proxy in front of WeChat, can stand in for it). No token: the channel is off.
/// </summary>
public sealed class WeChatOptions : IValidatableObject
{
    public const string SectionName = "WeChat";

    /// <summary>The callback token (令牌) set in the account's server configuration.</summary>
    public string? Token { get; set; }

    public string? AppId { get; set; }
    public string? AppSecret { get; set; }

    /// <summary>The 43-character message key (消息加解密密钥), for safe mode; empty: plain mode only.</summary>
    public string? EncodingAESKey { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Token);

    [Required] public string ApiBase { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Where web authorization (OAuth2 <c>snsapi_base</c>) starts.</summary>
    [Required] public string OAuthBase { get; set; } = "https://open.weixin.qq.com";

    /// <summary>
    /// How long a turn may take and still answer in the HTTP response. WeChat gives up after five seconds and
    /// retries; what is not ready by then goes through the customer-service API instead.
    /// </summary>
    [Range(0.1, 4.8)]
    public double PassiveReplySeconds { get; set; } = 4.0;

    /// <summary>
    /// Customer-service messages reach a user only this long after their last message to the account.
    /// </summary>
    [Range(1, 48)]
    public int CustomerServiceWindowHours { get; set; } = 48;

    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>A callback's timestamp may be this far from Linli's clock; older ones are refused as replays.</summary>
    [Range(30, 3600)]
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>Outside the window, messages go as this template message (模板消息), if one is configured.</summary>
    public WeChatTemplate Template { get; set; } = new();

    /// <summary>The account's custom menu, created through the menu API at start when given.</summary>
    public List<WeChatMenuButton> Menu { get; set; } = [];

    /// <summary>A channel half set up fails on every message; say so at start instead.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (string.IsNullOrEmpty(AppId) || string.IsNullOrEmpty(AppSecret))
            yield return new ValidationResult("WeChat:AppId and WeChat:AppSecret are needed with WeChat:Token.",
                [nameof(AppId), nameof(AppSecret)]);
        if (!string.IsNullOrEmpty(EncodingAESKey) && !IsKey(EncodingAESKey))
            yield return new ValidationResult("WeChat:EncodingAESKey is 43 base64 characters, as the account gives it.",
                [nameof(EncodingAESKey)]);
    }

    private static bool IsKey(string key)
    {
        Span<byte> bytes = stackalloc byte[33];
        return key.Length == 43 && Convert.TryFromBase64String(key + "=", bytes, out var written) && written == 32;
    }
}

/// <summary>
/// A template message: its id from the account's template library, the field the text goes in (cut to
/// <see cref="MaxChars"/>), and optionally a field for the time.
/// </summary>
public sealed class WeChatTemplate
{
    public string? Id { get; set; }
    [Required] public string TextField { get; set; } = "thing1";
    public string? TimeField { get; set; } = "time2";
    [Range(4, 200)] public int MaxChars { get; set; } = 20;
}

/// <summary>
/// A menu button: a <c>click</c> button sends <see cref="Key"/> as if the resident had typed it ("查物业费");
/// a <c>view</c> button opens <see cref="Url"/>; a button with sub-buttons is a submenu.
/// </summary>
public sealed class WeChatMenuButton
{
    [Required] public string Name { get; set; } = "";
    public string? Key { get; set; }
    public string? Url { get; set; }
    public List<WeChatMenuButton> SubButtons { get; set; } = [];
}
