using System.ComponentModel.DataAnnotations;

namespace Linli.Channels.WeCom;

/// <summary>
/// A WeCom (企业微信) self-built app (自建应用) the property office's staff have on their phones: Linli sends it pages
/// and new assignments, and staff answer residents from it. The values are those of the app's page in the admin
/// console; without CorpId, Secret and AgentId the channel is off and pages stay in the log.
/// </summary>
public sealed class WeComOptions : IValidatableObject
{
    public const string SectionName = "WeCom";

    /// <summary>The organisation's id (企业ID, 我的企业 → 企业信息), "ww…"; also what callbacks are sealed for.</summary>
    public string? CorpId { get; set; }

    /// <summary>The app's AgentId (应用管理 → the app).</summary>
    [Range(0, int.MaxValue)]
    public int AgentId { get; set; }

    /// <summary>The app's Secret: each app has its own, and its own access token.</summary>
    public string? Secret { get; set; }

    /// <summary>The callback Token (接收消息 → API接收); with <see cref="EncodingAESKey"/>, staff can answer.</summary>
    public string? Token { get; set; }

    /// <summary>The callback's 43-character EncodingAESKey: WeCom always seals callbacks.</summary>
    [StringLength(43, MinimumLength = 43)]
    public string? EncodingAESKey { get; set; }

    /// <summary>Configurable so tests, or a proxy with an address on the app's trusted IPs, stand in.</summary>
    [Required] public string ApiBase { get; set; } = "https://qyapi.weixin.qq.com";

    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>A callback's timestamp may be this far from Linli's clock; older ones are refused as replays.</summary>
    [Range(30, 3600)]
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>Linli can send to the app: pages and assignments go to staff who have a WeCom userid.</summary>
    public bool Enabled => !string.IsNullOrEmpty(CorpId) && !string.IsNullOrEmpty(Secret) && AgentId > 0;

    /// <summary>The app's callback is set up too: staff replies to <c>/api/wecom</c> are heard.</summary>
    public bool CallbackEnabled =>
        !string.IsNullOrEmpty(CorpId) && !string.IsNullOrEmpty(Token) && !string.IsNullOrEmpty(EncodingAESKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Half a callback configuration would answer every WeCom check with 404: say so at start instead.
        if (string.IsNullOrEmpty(Token) != string.IsNullOrEmpty(EncodingAESKey))
            yield return new ValidationResult("WeCom:Token and WeCom:EncodingAESKey are set together.",
                [nameof(Token), nameof(EncodingAESKey)]);
        if (!string.IsNullOrEmpty(Token) && string.IsNullOrEmpty(CorpId))
            yield return new ValidationResult("WeCom:CorpId is needed to open callbacks.", [nameof(CorpId)]);
        if (CallbackEnabled && !IsKey(EncodingAESKey!))
            yield return new ValidationResult("WeCom:EncodingAESKey is 43 base64 characters, as WeCom gives it.",
                [nameof(EncodingAESKey)]);
    }

    private static bool IsKey(string key)
    {
        Span<byte> bytes = stackalloc byte[33];
        return Convert.TryFromBase64String(key + "=", bytes, out var written) && written == 32;
    }
}
