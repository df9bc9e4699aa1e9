using Linli.Bot.Turns;

namespace Linli.Bot.Dialogs;

/// <summary>What a finished dialog hands to its C# handler.</summary>
public sealed record DialogCompletion(TurnContext Turn, string DialogId, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The dialog's own words for the handler to fill in (its YAML's <c>texts</c>).</summary>
    public IReadOnlyDictionary<string, LocalizedText> Texts { get; init; } = new Dictionary<string, LocalizedText>();
}

/// <summary>
/// Runs when a dialog completes (creates the ticket, looks up the bill…); named in the dialog's YAML.
/// </summary>
public interface IDialogHandler
{
    string Name { get; }

    /// <returns>
    /// Values for the dialog's <c>done</c> message placeholders, e.g. { "number": "BX-…" }. Two names steer:
    /// <see cref="DialogResults.Outcome"/> picks one of the dialog's <c>outcomes</c> to say instead of <c>done</c>,
    /// and <see cref="DialogResults.Next"/> begins another dialog afterwards.
    /// </returns>
    Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken);
}

/// <summary>A named rule an answer must pass (e.g. "unit_exists"), registered in C# and named in YAML.</summary>
public interface IDialogValidator
{
    string Name { get; }

    Task<bool> IsValidAsync(string value, TurnContext turn, CancellationToken cancellationToken);
}

public static class DialogResults
{
    public const string Outcome = "outcome";
    /// <summary>Begin this dialog after this one.</summary>
    public const string Next = "next";
    /// <summary>
    /// Begin this dialog first, and finish this one after it (bind the flat, then answer the bill asked for).
    /// </summary>
    public const string Then = "then";
    /// <summary>End everything in progress, the dialogs waiting beneath included.</summary>
    public const string EndAll = "end_all";
    /// <summary>The message a dialog began with, as the resident wrote it.</summary>
    public const string Said = "said";
    /// <summary>Added to a step's id: how the resident said a choice ("visit_time_said" = "明天下午").</summary>
    public const string SaidSuffix = "_said";
}
