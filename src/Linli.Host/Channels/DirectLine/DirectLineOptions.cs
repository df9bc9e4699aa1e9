using System.ComponentModel.DataAnnotations;

namespace Linli.Channels.DirectLine;

public sealed class DirectLineOptions
{
    public const string SectionName = "DirectLine";

    /// <summary>
    /// When set, starting a conversation or minting a token needs <c>Authorization: Bearer &lt;secret&gt;</c>.
    /// Empty (local use, the default): anyone who reaches the server may start one.
    /// </summary>
    public string? Secret { get; set; }

    [Range(1, 24 * 60)]
    public int TokenMinutes { get; set; } = 60;

    /// <summary>Sites that may embed the chat (CORS). Empty: same origin only, or any origin in Development.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    [Range(1024, 100 * 1024 * 1024)]
    public int MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The bot as Direct Line clients see it.</summary>
    [Required] public string BotId { get; set; } = "linli";
    [Required] public string BotName { get; set; } = "邻里小助手";
}
