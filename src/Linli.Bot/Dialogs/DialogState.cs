namespace Linli.Bot.Dialogs;

public enum DialogTurnStatus { Empty, Waiting, Complete, Cancelled }

/// <summary>One dialog in progress: where it is and what the resident has answered so far.</summary>
public sealed record DialogFrame
{
    public required string DialogId { get; init; }
    public int Step { get; init; }
    public Dictionary<string, string> Values { get; init; } = [];
    public int Retries { get; init; }
    public DateTimeOffset LastActive { get; init; }
}

/// <summary>The conversation's dialog stack, kept in conversation state so a restart loses nothing.</summary>
public sealed record DialogStack
{
    public const string StateName = "dialogs";

    public List<DialogFrame> Frames { get; init; } = [];

    /// <summary>An intent the resident may want to switch to; set while the bot asks "switch?".</summary>
    public string? PendingSwitch { get; init; }

    public DialogFrame? Active => Frames.Count > 0 ? Frames[^1] : null;
}

/// <summary>Words the engine itself says, loaded from dialogs/common.yaml.</summary>
public sealed class DialogPhrases
{
    public LocalizedText Skip { get; set; } = new() { ["zh-CN"] = "跳过", ["en"] = "Skip" };
    public LocalizedText Yes { get; set; } = new() { ["zh-CN"] = "是", ["en"] = "Yes" };
    public LocalizedText No { get; set; } = new() { ["zh-CN"] = "否", ["en"] = "No" };
    public LocalizedText HumanHandoff { get; set; } = new() { ["zh-CN"] = "转人工", ["en"] = "Talk to staff" };
    public LocalizedText TooManyRetries { get; set; } = new() { ["zh-CN"] = "还是没听明白。要不要转人工？", ["en"] = "I still don't follow. Shall I get a person?" };
}

public sealed class DialogOptions
{
    /// <summary>How many times a question is asked again before the bot offers a person.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>A dialog untouched this long has expired; the next message starts afresh.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
