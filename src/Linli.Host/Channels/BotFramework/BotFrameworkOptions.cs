using System.ComponentModel.DataAnnotations;

namespace Linli.Channels.BotFramework;

/// <summary>The Bot Framework Connector (Azure Bot Service, the Emulator) as seen from <c>/api/messages</c>.</summary>
public sealed class BotFrameworkOptions
{
    public const string SectionName = "BotFramework";

    /// <summary>
    /// The Microsoft App ID. Empty: no token checks and no tokens on replies, which only Development (the Emulator) or an
    /// explicit <see cref="AllowAnonymous"/> accepts; elsewhere <c>/api/messages</c> answers 401.
    /// </summary>
    public string? AppId { get; set; }

    /// <summary>
    /// Accept unauthenticated activities outside Development: anyone who reaches <c>/api/messages</c> can then speak as
    /// any channel user. Only for a closed network; Linli says so in its log at every start.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Hosts a <c>serviceUrl</c> may name (where replies are posted): exact names or "*.suffix". By default the Bot
    /// Framework's own; Development also allows localhost and 127.0.0.1 (the Emulator).
    /// </summary>
    public string[] ServiceUrlHosts { get; set; } = ["*.botframework.com", "smba.trafficmanager.net", "*.botframework.us", "*.botframework.azure.us"];

    /// <summary>How long one delivery attempt to a Connector may take before it counts as failed.</summary>
    [Range(1, 120)]
    public int DeliveryTimeoutSeconds { get; set; } = 10;

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
