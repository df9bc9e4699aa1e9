using System.ComponentModel.DataAnnotations;

namespace Linli.Channels.BotFramework;

/// <summary>The Bot Framework Connector (Azure Bot Service, the Emulator) as seen from <c>/api/messages</c>.</summary>
public sealed class BotFrameworkOptions
{
    public const string SectionName = "BotFramework";

    /// <summary>The Microsoft App ID. Empty (local use, the Emulator): no token checks, no tokens on replies.</summary>
    public string? AppId { get; set; }

    public string? AppPassword { get; set; }

    [Required, Url]
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    public string[] ValidIssuers { get; set; } = ["https://api.botframework.com"];

    [Required, Url]
    public string TokenEndpoint { get; set; } = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

    [Required]
    public string OAuthScope { get; set; } = "https://api.botframework.com/.default";

    [Range(1024, 4 * 1024 * 1024)]
    public int MaxActivityBytes { get; set; } = 256 * 1024;

    /// <summary>First retry delay when the Connector answers 5xx or times out; later ones back off from it.</summary>
    [Range(1, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 1000;

    public bool RequiresAuthentication => !string.IsNullOrEmpty(AppId);
}
