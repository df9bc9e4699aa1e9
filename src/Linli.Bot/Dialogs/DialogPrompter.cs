using System.Text.RegularExpressions;
using Linli.Bot.Schema;
using Linli.Bot.Turns;

namespace Linli.Bot.Dialogs;

/// <summary>
/// What a dialog says: a step's question with its buttons (the choices, yes and no, skip, the dialog's side button),
/// and its other sentences with their placeholders filled.
/// </summary>
internal sealed partial class DialogPrompter(DialogPhrases phrases)
{
    public Task AskAsync(TurnContext turn, DialogDefinition dialog, StepDefinition step, string? before,
        CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var buttons = step.Prompt switch
        {
            "choice" => step.Choices.Select(c => CardAction.ImBack(c.Title(locale))).ToList(),
            "confirm" => [CardAction.ImBack(phrases.Yes.For(locale)), CardAction.ImBack(phrases.No.For(locale))],
            _ => new List<CardAction>(),
        };
        if (step.Optional) buttons.Add(CardAction.ImBack(phrases.Skip.For(locale)));
        if (dialog.SideButton is { } side) buttons.Add(CardAction.ImBack(side.For(locale)));
        var reply = turn.Activity.CreateReply(before + step.Ask.For(locale));
        reply.InputHint = InputHints.ExpectingInput;
        if (buttons.Count > 0) reply.SuggestedActions = new SuggestedActions { Actions = buttons };
        return turn.SendActivityAsync(reply, cancellationToken);
    }

    public Task SayAsync(TurnContext turn, DialogDefinition dialog, string text, CancellationToken cancellationToken) =>
        dialog.SideButton is { } side
            ? turn.SendActivityAsync(text, [CardAction.ImBack(side.For(turn.Activity.Locale))], cancellationToken)
            : turn.SendActivityAsync(text, cancellationToken: cancellationToken);

    /// <summary>
    /// Fills {name} placeholders from the handler's result, then the answers. Plain substitution, no expressions.
    /// </summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> result,
        IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m =>
            result.GetValueOrDefault(m.Groups[1].Value) ?? values.GetValueOrDefault(m.Groups[1].Value) ?? m.Value);

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
