using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;
using Linli.Phrases;
using static Linli.Chat.ChatText;

namespace Linli.Chat;

/// <summary>
/// A message outside any dialog: danger first, then a ticket number, the answer to "which one?", a question about
/// one's tickets, a close call asked rather than guessed, a service's dialog, and the small talk; what is not
/// understood is said back, and the second time a person is offered.
/// </summary>
public sealed class IntentRouter(CommonPhrases phrases, IRecognizer recognizer, DialogManager dialogs, TicketTalk talk)
{
    public async Task RouteAsync(TurnContext turn, RecognizerResult? recognized, string intent,
        CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var text = turn.Activity.Text ?? "";
        // Danger first: before a ticket number, a pending choice or "my tickets" ("my repair isn't done and now the
        // wires are burning").
        if (intent == Intents.Emergency)
        {
            turn.Remember(m => m with { Choosing = null, ChoosingText = null });
            await dialogs.BeginAsync(turn, dialogs.ForIntent(Intents.Emergency)!.Id, recognized, cancellationToken);
            return;
        }
        // A ticket number ("BX-20261127-0001 怎么样了") asks about that ticket.
        if (TicketTalk.TicketNumber().Match(text) is { Success: true } quoted)
        {
            await talk.TellTicketAsync(turn, quoted.Value.ToUpperInvariant(), cancellationToken);
            return;
        }
        // The answer to "您是想报修，还是投诉？": the service chosen, begun with what was first said.
        if (turn.Memory().Choosing is { } choosing && Chosen(choosing, text) is { } chosen)
        {
            var first = await recognizer.RecognizeAsync(turn.Memory().ChoosingText ?? "", locale, cancellationToken);
            turn.Remember(m => m with { Choosing = null, ChoosingText = null, Misunderstood = 0 });
            await dialogs.BeginAsync(turn, dialogs.ForIntent(chosen)!.Id, first, cancellationToken);
            return;
        }
        turn.Remember(m => m with { Choosing = null, ChoosingText = null });
        if (recognized is not null && talk.IsAboutMyTickets(text, intent))
        {
            await talk.TellMyTicketsAsync(turn, cancellationToken);
            return;
        }
        if (recognized is not null && CloseCall(recognized) is [var one, var two])
        {
            turn.Remember(m => m with { Choosing = [one, two], ChoosingText = text });
            var (first, second) = (phrases.IntentNames[one].For(locale), phrases.IntentNames[two].For(locale));
            await turn.SendActivityAsync(phrases.WhichOne.Format(locale, ("one", first), ("other", second)),
                [CardAction.ImBack(Capitalized(first)), CardAction.ImBack(Capitalized(second))], cancellationToken);
            return;
        }
        if (intent != Intents.None) turn.Remember(m => m with { Misunderstood = 0 });
        if (dialogs.ForIntent(intent) is { } dialog)
        {
            await dialogs.BeginAsync(turn, dialog.Id, recognized, cancellationToken);
            return;
        }
        if (!await SmallTalkAsync(turn, intent, text, cancellationToken))
            await NotADialogAsync(turn, recognized, intent, text, cancellationToken);
    }

    /// <summary>Help, a cancel with nothing to cancel, a greeting, thanks or goodbye, "a person please".</summary>
    private async Task<bool> SmallTalkAsync(TurnContext turn, string intent, string text,
        CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var reply = intent switch
        {
            Intents.Help => phrases.Help,
            Intents.Cancel => phrases.NothingToCancel,
            Intents.Greeting => Mentions(text, phrases.ThanksWords) ? phrases.ThanksReply
                : Mentions(text, phrases.GoodbyeWords) ? phrases.Goodbye : phrases.Welcome,
            _ => null,
        };
        if (intent == Intents.HumanHandoff)
            await talk.HandOffAsync(turn, cancellationToken);
        else if (reply is not null)
            await turn.SendActivityAsync(reply.For(locale), phrases.MenuButtons(locale), cancellationToken);
        return reply is not null || intent == Intents.HumanHandoff;
    }

    /// <summary>A service still to come, photos on their own, or words not understood.</summary>
    private async Task NotADialogAsync(TurnContext turn, RecognizerResult? recognized, string intent, string text,
        CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var menu = phrases.MenuButtons(locale);
        if (phrases.Menu.FirstOrDefault(m => m.Id == intent) is { } item)
        {
            var soon = phrases.ComingSoon.Format(locale, ("service", item.Title(locale)));
            await turn.SendActivityAsync(soon, menu, cancellationToken);
            return;
        }
        if (recognized is null && turn.Activity.Attachments is { Count: > 0 } files)
        {
            var received = phrases.AttachmentReceived.Format(locale, ("count", files.Count));
            await turn.SendActivityAsync(received, menu, cancellationToken);
            return;
        }
        // Not understood: say what the bot can do; the second time in a row, a person comes first.
        var times = turn.Memory().Misunderstood + 1;
        turn.Remember(m => m with { Misunderstood = times });
        if (times >= 2)
            await turn.SendActivityAsync(phrases.HeardAgain.For(locale),
                [CardAction.ImBack(phrases.Engine.HumanHandoff.For(locale)), .. menu], cancellationToken);
        else
            await turn.SendActivityAsync(phrases.Heard.Format(locale, ("said", Shorten(text))), menu,
                cancellationToken);
    }

    /// <summary>
    /// Two services about as likely as each other, neither sure ("楼上漏水到我家"): a complaint, or mediation?
    /// Asked rather than guessed, also where the classifier fell below its threshold; only between services that have a
    /// dialog, and never when the guard heard danger (emergencies are routed before this).
    /// </summary>
    private List<string>? CloseCall(RecognizerResult recognized)
    {
        var ranked = recognized.Ranking.Where(r => phrases.IntentNames.ContainsKey(r.Name)).Take(2).ToList();
        if (ranked.Count < 2) return null;
        var top = recognized.Intent.Name;
        if (top != ranked[0].Name && top != Intents.None) return null;
        var (best, next) = (ranked[0].Confidence, ranked[1].Confidence);
        return best < 0.55 && next >= 0.2 && best - next < 0.2 ? [ranked[0].Name, ranked[1].Name] : null;
    }

    /// <summary>Which of the services asked between the answer names: by its words, or "1" and "2".</summary>
    private string? Chosen(List<string> choosing, string text)
    {
        var t = text.Trim();
        for (var i = 0; i < choosing.Count; i++)
        {
            var named = phrases.IntentNames[choosing[i]].Values
                .Any(v => v.Equals(t, StringComparison.OrdinalIgnoreCase));
            if (named || t == (i + 1).ToString()) return choosing[i];
        }
        return null;
    }
}
