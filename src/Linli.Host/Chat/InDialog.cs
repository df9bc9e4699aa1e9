using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;
using Linli.Phrases;
using static Linli.Chat.ChatText;

namespace Linli.Chat;

/// <summary>
/// A message while a dialog waits for an answer: an emergency always wins; an answer that fits the question is an
/// answer; otherwise a clear cancel, help or "talk to staff" interrupts, and another task is asked about before this
/// one is dropped.
/// </summary>
public sealed class InDialog(CommonPhrases phrases, DialogManager dialogs, TicketTalk talk)
{
    /// <summary>
    /// How sure the classifier must be before free text in a dialog is an interruption or another task.
    /// </summary>
    private const double InterruptConfidence = 0.6;

    public async Task ContinueAsync(TurnContext turn, RecognizerResult? recognized, string intent,
        CancellationToken cancellationToken)
    {
        var stack = dialogs.Stack(turn);
        var active = stack.Active!.DialogId;
        var emergency = dialogs.ForIntent(Intents.Emergency)!;
        var step = dialogs.CurrentStep(turn)!;
        var fits = await dialogs.FitsAsync(turn, recognized, cancellationToken);
        var said = turn.Activity.Text?.Trim() ?? "";
        var tapped = step.Choices.Any(c => c.Titles.Contains(said, StringComparer.OrdinalIgnoreCase));
        // An emergency always wins, in any dialog but its own: whatever the guard hears, and what the classifier is
        // sure of in the resident's own words (a tapped "暂时没有" is no emergency, whatever it resembles).
        var danger = recognized?.Danger is not null
                     || (intent == Intents.Emergency && !tapped && Substantive(recognized!));
        if (active != emergency.Id && danger)
        {
            dialogs.CancelAll(turn);
            await dialogs.BeginAsync(turn, emergency.Id, recognized, cancellationToken);
            return;
        }
        if (active == emergency.Id && await talk.WithinEmergencyAsync(turn, recognized, stack, cancellationToken))
            return;
        if (stack.PendingSwitch is { } pending && await SwitchedAsync(turn, stack, pending, cancellationToken)) return;

        // An answer that fits the question (a tapped button, a flat number, "没有照片" where a photo may be
        // skipped) is an answer, whatever else it resembles. In free text only a clear interruption counts: "算了" is
        // one.
        var confident = recognized is not null && recognized.Intent.Confidence >= InterruptConfidence;
        var sameTask = dialogs.ForIntent(intent)?.Id == active;
        if (!sameTask && !(fits && step.Prompt != "text") && (!fits || confident)
            && await InterruptedAsync(turn, intent, cancellationToken))
            return;

        // Another task mid-dialog, tapped on the menu or said with words of its own and surely: ask before dropping
        // this one. A short answer that does not fit ("不用了", "no") is asked again instead.
        var other = dialogs.ForIntent(intent);
        var text = turn.Activity.Text ?? "";
        if (!fits && other is not null && other.Id != active && confident
            && (phrases.Menu.Any(m => m.Matches(text)) || SaysSomething(text)))
        {
            await AskToSwitchAsync(turn, intent, cancellationToken);
            return;
        }
        await dialogs.ContinueAsync(turn, recognized, cancellationToken);
    }

    /// <summary>The answer to "switch to …?": yes begins the other task, no asks this one's question again.</summary>
    private async Task<bool> SwitchedAsync(TurnContext turn, DialogStack stack, string pending,
        CancellationToken cancellationToken)
    {
        dialogs.Save(turn, stack with { PendingSwitch = null });
        switch (PromptParser.Confirm(turn.Activity.Text ?? "", phrases.Engine))
        {
            case "yes":
                dialogs.CancelAll(turn);
                await dialogs.BeginAsync(turn, dialogs.ForIntent(pending)!.Id, null, cancellationToken);
                return true;
            case "no":
                await dialogs.RepromptAsync(turn, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Cancel, help and "talk to staff" interrupt; anything else goes on.</summary>
    private async Task<bool> InterruptedAsync(TurnContext turn, string intent, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        switch (intent)
        {
            case Intents.Cancel:
                dialogs.CancelAll(turn);
                await turn.SendActivityAsync(phrases.Cancelled.For(locale), phrases.MenuButtons(locale),
                    cancellationToken);
                return true;
            case Intents.Help:
                await turn.SendActivityAsync(phrases.HelpInDialog.For(locale), cancellationToken: cancellationToken);
                await dialogs.RepromptAsync(turn, cancellationToken);
                return true;
            case Intents.HumanHandoff:
                // The dialog waits: when staff hand the conversation back, it goes on where it was.
                await talk.HandOffAsync(turn, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private async Task AskToSwitchAsync(TurnContext turn, string intent, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        dialogs.Save(turn, dialogs.Stack(turn) with { PendingSwitch = intent });
        var title = phrases.Menu.FirstOrDefault(m => m.Id == intent)?.Title(locale)
                    ?? phrases.IntentNames.GetValueOrDefault(intent)?.For(locale) ?? intent;
        await turn.SendActivityAsync(phrases.SwitchQuestion.Format(locale, ("service", title)),
            [CardAction.ImBack(phrases.Engine.Yes.For(locale)), CardAction.ImBack(phrases.Engine.No.For(locale))],
            cancellationToken);
    }

    /// <summary>
    /// More than a place or a time: "6栋门口" or "上午" at a prompt is an answer, however an emergency's words it
    /// resembles; "他一动不动" is not.
    /// </summary>
    private static bool Substantive(RecognizerResult recognized)
    {
        var chars = recognized.Text.ToCharArray();
        foreach (var e in recognized.Entities.Where(e => e.End <= chars.Length))
            for (var i = e.Start; i < e.End; i++) chars[i] = ' ';
        var rest = new string(chars);
        return ChineseCharacters(rest) >= 4 || EnglishWords(rest) >= 3;
    }

    /// <summary>Words beyond a short answer: "查物业费" says something, "不用了" and "no" do not.</summary>
    private bool SaysSomething(string? text)
    {
        var t = (text ?? "").Trim();
        if (PromptParser.IsSkip(t, phrases.Engine) || PromptParser.Confirm(t, phrases.Engine) is not null) return false;
        return ChineseCharacters(t) >= 3 || EnglishWords(t) >= 2;
    }
}
