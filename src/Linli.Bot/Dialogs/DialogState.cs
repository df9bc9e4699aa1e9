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
    /// <summary>Steps answered from what the resident said or by default, not asked: the reason to confirm.</summary>
    public List<string> Inferred { get; init; } = [];
    /// <summary>Waiting beneath another dialog (binding the flat first); finished when it is on top again.</summary>
    public bool Suspended { get; init; }
    /// <summary>The resident agreed to what was said back; not asked again.</summary>
    public bool Confirmed { get; init; }
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

/// <summary>
/// Words the engine itself says, loaded from dialogs/common.yaml (its <c>engine</c> section); none are written in C#.
/// </summary>
public sealed class DialogPhrases
{
    /// <summary>The buttons of a confirmation: agree, or correct something.</summary>
    public required LocalizedText ConfirmYes { get; set; }
    public required LocalizedText ConfirmFix { get; set; }
    public required LocalizedText WhatToFix { get; set; }
    /// <summary>
    /// Words that ask for something rather than describe it ("我要报修", "please"), left out of a gist.
    /// </summary>
    public List<string> RequestWords
    {
        get => _requestWords;
        set => (_requestWords, RequestWordsLongestFirst) =
            (value, [.. value.Where(w => w.Length > 0).OrderByDescending(w => w.Length)]);
    }

    private List<string> _requestWords = [];

    /// <summary>Words left out of a gist where the sentence begins only ("我家").</summary>
    public List<string> LeadingWords { get; set; } = [];

    /// <summary>The request words, longest first, so "我要报修" goes before "报修".</summary>
    public IReadOnlyList<string> RequestWordsLongestFirst { get; private set; } = [];
    /// <summary>Short answers that mean "no photo / nothing / skip" at a prompt that may be skipped.</summary>
    public List<string> SkipWords { get; set; } = [];
    /// <summary>Short answers that mean yes and no at a confirmation.</summary>
    public List<string> YesWords { get; set; } = [];
    public List<string> NoWords { get; set; } = [];
    public required LocalizedText Skip { get; set; }
    public required LocalizedText Yes { get; set; }
    public required LocalizedText No { get; set; }
    public required LocalizedText HumanHandoff { get; set; }
    public required LocalizedText TooManyRetries { get; set; }
}

public sealed class DialogOptions
{
    /// <summary>How many times a question is asked again before the bot offers a person.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>A dialog untouched this long has expired; the next message starts afresh.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
