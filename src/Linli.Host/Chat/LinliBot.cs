using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;
using Linli.Understanding;
using System.Text.Json;

namespace Linli.Chat;

/// <summary>What the bot remembers of a conversation outside its dialogs.</summary>
public sealed record ChatMemory
{
    public const string StateName = "chat";

    /// <summary>The language the resident writes in; replies follow it.</summary>
    public string? Language { get; init; }
    /// <summary>Messages in a row the bot did not understand; the second offers a person.</summary>
    public int Misunderstood { get; init; }
    /// <summary>Two services the bot asked between, and the message that could have meant either.</summary>
    public List<string>? Choosing { get; init; }
    public string? ChoosingText { get; init; }
}

/// <summary>
/// The resident-facing bot. The emergency guard hears every message first, in every state (a dialog, a handoff);
/// cancel, help and "talk to staff" interrupt any dialog; an answer to the question asked beats a switch to another
/// task; unsure between two services it asks; the reply follows the resident's language.
/// </summary>
public sealed partial class LinliBot(CommonPhrases phrases, IRecognizer recognizer, EmergencyGuard guard, DialogManager dialogs,
    Linli.Tickets.TicketService tickets, Linli.Residents.ResidentDirectory residents, Linli.StaffConsole.HandoffService handoffs,
    IConversationReferenceStore references, IConfiguration configuration) : IBot
{
    private const string EmulatorChannel = "emulator";

    /// <summary>How sure the classifier must be before free text in a dialog counts as an interruption or another task.</summary>
    private const double InterruptConfidence = 0.6;

    public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        await FollowLanguageAsync(turn, cancellationToken);
        var locale = activity.Locale;

        if (activity.IsType(ActivityTypes.ConversationUpdate))
        {
            // Welcome each person who joins, not the bot itself.
            if (activity.MembersAdded?.Any(m => m.Id != activity.Recipient?.Id) == true)
                await turn.SendActivityAsync(phrases.Welcome.For(locale), Menu(locale), cancellationToken);
            return;
        }
        if (activity.IsType(ActivityTypes.Event))
        {
            if (activity.Name == Linli.Tickets.TicketChanged.EventName) await OnTicketChangedAsync(turn, cancellationToken);
            else if (activity.Name == Linli.StaffConsole.HandoffService.HandedBack) await OnHandedBackAsync(turn, cancellationToken);
            return;
        }
        if (!activity.IsType(ActivityTypes.Message)) return;
        var text = activity.Text?.Trim() ?? "";

        // A person has this conversation: what the resident says goes to them, and the bot keeps quiet, unless there is
        // danger: the emergency guard still hears every message, and pages as it would anywhere else.
        if (handoffs.For(activity.ChannelId ?? "", activity.From?.Id ?? "") is { } handoff)
        {
            handoffs.ResidentSaid(handoff, text.Length > 0 ? text : activity.Attachments is { Count: > 0 } ? "[photo]" : "");
            if (text.Length > 0 && (await recognizer.RecognizeAsync(text, locale, cancellationToken)).Intent.Name == Intents.Emergency)
                await RaiseEmergencyDuringHandoffAsync(turn, cancellationToken);
            return;
        }

        if (IsFalseAlarm(text) && tickets.RecentEmergency(activity.ChannelId ?? "", activity.From?.Id ?? "") is { } raised)
        {
            await StandDownAsync(turn, raised, cancellationToken);
            return;
        }

        var recognized = text.Length > 0 ? await RecognizeAsync(turn, text, locale, cancellationToken) : null;
        if (recognized is not null && (activity.ChannelId == EmulatorChannel || configuration.GetValue<bool>("Bot:Trace")))
            await SendTraceAsync(turn, recognized, cancellationToken);
        var intent = recognized?.Intent.Name ?? Intents.None;

        if (dialogs.IsActive(turn) && dialogs.HasExpired(turn))
        {
            dialogs.CancelAll(turn);
            await turn.SendActivityAsync(phrases.Expired.For(locale), cancellationToken: cancellationToken);
        }

        if (dialogs.IsActive(turn))
            await InDialogAsync(turn, recognized, intent, cancellationToken);
        else
            await RouteAsync(turn, recognized, intent, cancellationToken);
    }

    private async Task InDialogAsync(TurnContext turn, RecognizerResult? recognized, string intent, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var stack = dialogs.Stack(turn);
        var active = stack.Active!.DialogId;
        var emergency = dialogs.ForIntent(Intents.Emergency)!;
        var step = dialogs.CurrentStep(turn)!;
        var fits = await dialogs.FitsAsync(turn, recognized, cancellationToken);
        var tapped = step.Choices.Any(c => c.Titles.Contains(turn.Activity.Text?.Trim() ?? "", StringComparer.OrdinalIgnoreCase));
        // An emergency always wins, in any dialog but its own: whatever the guard hears, and what the classifier is sure
        // of in the resident's own words (a tapped "暂时没有" is no emergency, whatever it resembles).
        if (active != emergency.Id && (recognized?.Danger is not null || (intent == Intents.Emergency && !tapped && Substantive(recognized!))))
        {
            dialogs.CancelAll(turn);
            await dialogs.BeginAsync(turn, emergency.Id, recognized, cancellationToken);
            return;
        }
        if (active == emergency.Id && await WithinEmergencyAsync(turn, recognized, stack, cancellationToken)) return;
        if (stack.PendingSwitch is { } pending)
        {
            dialogs.Save(turn, stack with { PendingSwitch = null });
            var answer = PromptParser.Confirm(turn.Activity.Text ?? "", phrases.Engine);
            if (answer == "yes")
            {
                dialogs.CancelAll(turn);
                await dialogs.BeginAsync(turn, dialogs.ForIntent(pending)!.Id, null, cancellationToken);
                return;
            }
            if (answer == "no")
            {
                await dialogs.RepromptAsync(turn, cancellationToken);
                return;
            }
        }

        // An answer that fits the question (a tapped button, a flat number, "没有照片" where a photo may be skipped) is an
        // answer, whatever else it resembles. In free text only a clear interruption counts: "算了" is one.
        var confident = recognized is not null && recognized.Intent.Confidence >= InterruptConfidence;
        var sameTask = dialogs.ForIntent(intent)?.Id == active;
        if (!sameTask && !(fits && step.Prompt != "text") && (!fits || confident))
        {
            switch (intent)
            {
                case Intents.Cancel:
                    dialogs.CancelAll(turn);
                    await turn.SendActivityAsync(phrases.Cancelled.For(locale), Menu(locale), cancellationToken);
                    return;
                case Intents.Help:
                    await turn.SendActivityAsync(phrases.HelpInDialog.For(locale), cancellationToken: cancellationToken);
                    await dialogs.RepromptAsync(turn, cancellationToken);
                    return;
                case Intents.HumanHandoff:
                    // The dialog waits: when staff hand the conversation back, it goes on where it was.
                    await HandOffAsync(turn, cancellationToken);
                    return;
            }
        }

        // Another task mid-dialog, tapped on the menu or said with words of its own and surely: ask before dropping this
        // one. A short answer that does not fit ("不用了", "no") is asked again instead.
        var other = dialogs.ForIntent(intent);
        var text = turn.Activity.Text ?? "";
        if (!fits && other is not null && other.Id != active && confident && (phrases.Menu.Any(m => m.Matches(text)) || SaysSomething(text)))
        {
            dialogs.Save(turn, dialogs.Stack(turn) with { PendingSwitch = intent });
            var title = phrases.Menu.FirstOrDefault(m => m.Id == intent)?.Title(locale) ?? phrases.IntentNames.GetValueOrDefault(intent)?.For(locale) ?? intent;
            await turn.SendActivityAsync(phrases.SwitchQuestion.Format(locale, title),
                [CardAction.ImBack(phrases.Engine.Yes.For(locale)), CardAction.ImBack(phrases.Engine.No.For(locale))], cancellationToken);
            return;
        }
        await dialogs.ContinueAsync(turn, recognized, cancellationToken);
    }

    private async Task RouteAsync(TurnContext turn, RecognizerResult? recognized, string intent, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var text = turn.Activity.Text ?? "";
        // Danger first: before a ticket number, a pending choice or "my tickets" ("my repair isn't done and now the wires
        // are burning").
        if (intent == Intents.Emergency)
        {
            Remember(turn, m => m with { Choosing = null, ChoosingText = null });
            await dialogs.BeginAsync(turn, dialogs.ForIntent(Intents.Emergency)!.Id, recognized, cancellationToken);
            return;
        }
        // A ticket number ("BX-20261127-0001 怎么样了") asks about that ticket: told only to whoever reported it or lives there.
        if (TicketNumber().Match(text) is { Success: true } quoted)
        {
            await TellTicketAsync(turn, quoted.Value.ToUpperInvariant(), cancellationToken);
            return;
        }
        // The answer to "您是想报修，还是投诉？": the service chosen, begun with what was first said.
        if (Remember(turn).Choosing is { } choosing && Chosen(choosing, text, locale) is { } chosen)
        {
            var first = await recognizer.RecognizeAsync(Remember(turn).ChoosingText ?? "", locale, cancellationToken);
            Remember(turn, m => m with { Choosing = null, ChoosingText = null, Misunderstood = 0 });
            await dialogs.BeginAsync(turn, dialogs.ForIntent(chosen)!.Id, first, cancellationToken);
            return;
        }
        Remember(turn, m => m with { Choosing = null, ChoosingText = null });
        if (recognized is not null && IsAboutMyTickets(text, intent))
        {
            await TellMyTicketsAsync(turn, cancellationToken);
            return;
        }
        if (recognized is not null && intent != Intents.Emergency && CloseCall(recognized) is [var one, var two])
        {
            Remember(turn, m => m with { Choosing = [one, two], ChoosingText = text });
            await turn.SendActivityAsync(phrases.WhichOne.Format(locale, phrases.IntentNames[one].For(locale), phrases.IntentNames[two].For(locale)),
                [CardAction.ImBack(Capitalized(phrases.IntentNames[one].For(locale))), CardAction.ImBack(Capitalized(phrases.IntentNames[two].For(locale)))],
                cancellationToken);
            return;
        }
        if (intent != Intents.None) Remember(turn, m => m with { Misunderstood = 0 });
        if (dialogs.ForIntent(intent) is { } dialog)
        {
            await dialogs.BeginAsync(turn, dialog.Id, recognized, cancellationToken);
            return;
        }
        switch (intent)
        {
            case Intents.HumanHandoff:
                await HandOffAsync(turn, cancellationToken);
                return;
            case Intents.Help:
                await turn.SendActivityAsync(phrases.Help.For(locale), Menu(locale), cancellationToken);
                return;
            case Intents.Cancel:
                await turn.SendActivityAsync(phrases.NothingToCancel.For(locale), Menu(locale), cancellationToken);
                return;
            case Intents.Greeting:
                var reply = Mentions(text, phrases.ThanksWords) ? phrases.ThanksReply : Mentions(text, phrases.GoodbyeWords) ? phrases.Goodbye : phrases.Welcome;
                await turn.SendActivityAsync(reply.For(locale), Menu(locale), cancellationToken);
                return;
        }
        if (phrases.Menu.FirstOrDefault(m => m.Id == intent) is { } item)
            await turn.SendActivityAsync(phrases.ComingSoon.Format(locale, item.Title(locale)), Menu(locale), cancellationToken);
        else if (recognized is null && turn.Activity.Attachments is { Count: > 0 } files)
            await turn.SendActivityAsync(phrases.AttachmentReceived.Format(locale, files.Count), Menu(locale), cancellationToken);
        else
        {
            // Not understood: say what the bot can do; the second time in a row, a person comes first.
            var times = Remember(turn).Misunderstood + 1;
            Remember(turn, m => m with { Misunderstood = times });
            if (times >= 2)
                await turn.SendActivityAsync(phrases.HeardAgain.For(locale), [CardAction.ImBack(phrases.Engine.HumanHandoff.For(locale)), .. Menu(locale)], cancellationToken);
            else
                await turn.SendActivityAsync(phrases.Heard.Format(locale, Shorten(text)), Menu(locale), cancellationToken);
        }
    }

    /// <summary>
    /// Two services about as likely as each other, neither sure ("楼上漏水到我家"): a complaint, or mediation? Asked
    /// rather than guessed, also where the classifier fell below its threshold; only between services that have a
    /// dialog, and never when the guard heard danger (emergencies are routed before this).
    /// </summary>
    private List<string>? CloseCall(RecognizerResult recognized)
    {
        var ranked = recognized.Ranking.Where(r => phrases.IntentNames.ContainsKey(r.Name)).Take(2).ToList();
        if (ranked.Count < 2 || (recognized.Intent.Name != ranked[0].Name && recognized.Intent.Name != Intents.None)) return null;
        return ranked[0].Confidence < 0.55 && ranked[1].Confidence >= 0.2 && ranked[0].Confidence - ranked[1].Confidence < 0.2
            ? [ranked[0].Name, ranked[1].Name] : null;
    }

    private string? Chosen(List<string> choosing, string text, string? locale)
    {
        var t = text.Trim();
        for (var i = 0; i < choosing.Count; i++)
            if (phrases.IntentNames[choosing[i]].Values.Any(v => v.Equals(t, StringComparison.OrdinalIgnoreCase)) || t == (i + 1).ToString())
                return choosing[i];
        return null;
    }

    /// <summary>
    /// More than a place or a time: "6栋门口" or "上午" at a prompt is an answer, however an emergency's words it resembles;
    /// "他一动不动" is not.
    /// </summary>
    private static bool Substantive(RecognizerResult recognized)
    {
        var chars = recognized.Text.ToCharArray();
        foreach (var e in recognized.Entities.Where(e => e.End <= chars.Length))
            for (var i = e.Start; i < e.End; i++) chars[i] = ' ';
        var rest = new string(chars);
        return rest.Count(c => c is >= '\u4e00' and <= '\u9fff') >= 4 || rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsAsciiLetter)) >= 3;
    }

    /// <summary>Words beyond a short answer: "查物业费" says something, "不用了" and "no" do not.</summary>
    private bool SaysSomething(string? text)
    {
        var t = (text ?? "").Trim();
        if (PromptParser.IsSkip(t, phrases.Engine) || PromptParser.Confirm(t, phrases.Engine) is not null) return false;
        var chinese = t.Count(c => c is >= '\u4e00' and <= '\u9fff');
        var english = t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsAsciiLetter));
        return chinese >= 3 || english >= 2;
    }

    private async Task<RecognizerResult> RecognizeAsync(TurnContext turn, string text, string? locale, CancellationToken cancellationToken)
    {
        // A tapped menu button means exactly what it says; no need to guess.
        if (phrases.Menu.FirstOrDefault(m => m.Matches(text)) is { } item)
            return new RecognizerResult(text, new IntentScore(item.Id, 1), [new IntentScore(item.Id, 1)], []);
        return await recognizer.RecognizeAsync(text, locale, cancellationToken);
    }

    /// <summary>Replies follow the language the resident writes in, this turn and later ones (ticket news, a handoff).</summary>
    private async Task FollowLanguageAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var memory = Remember(turn);
        if (turn.Activity.IsType(ActivityTypes.Message))
        {
            var (language, clearly) = ReplyLanguage.Detect(turn.Activity.Text);
            if (language is not null && language != memory.Language && (clearly || memory.Language is null))
            {
                Remember(turn, m => m with { Language = language });
                turn.Activity.Locale = language;
                // Messages sent later, outside a turn, read the locale of the conversation's reference.
                await references.SaveAsync(turn.Activity.GetConversationReference(), cancellationToken);
                return;
            }
        }
        if (memory.Language is { } remembered) turn.Activity.Locale = remembered;
    }

    private ChatMemory Remember(TurnContext turn) => turn.GetState<ChatMemory>(ChatMemory.StateName) ?? new ChatMemory();

    private void Remember(TurnContext turn, Func<ChatMemory, ChatMemory> change)
    {
        var before = Remember(turn);
        var after = change(before);
        if (after != before) turn.SetState(ChatMemory.StateName, after);
    }

    private static bool Mentions(string text, IEnumerable<string> words) =>
        words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>"不是紧急情况" (the button) and nothing else: "门锁坏了，不紧急" is a repair, "不是误报" the opposite.</summary>
    private bool IsFalseAlarm(string text) =>
        phrases.FalseAlarmWords.Contains(PromptParser.Clean(text), StringComparer.OrdinalIgnoreCase) && !guard.Check(text).IsEmergency;

    private static string Capitalized(string title) => title.Length > 0 && char.IsAsciiLetterLower(title[0]) ? char.ToUpperInvariant(title[0]) + title[1..] : title;

    /// <summary>As Bot Builder's recognizers do: the Emulator shows what was understood.</summary>
    private static Task SendTraceAsync(TurnContext turn, RecognizerResult recognized, CancellationToken cancellationToken)
    {
        var trace = turn.Activity.CreateReply();
        trace.Type = ActivityTypes.Trace;
        trace.Name = "LinliRecognizer";
        trace.Label = "Recognizer result";
        trace.ValueType = "https://www.botframework.com/schemas/recognizerResult";
        trace.Value = JsonSerializer.SerializeToElement(new
        {
            text = recognized.Text,
            intents = recognized.Ranking.Take(5).ToDictionary(r => r.Name, r => new { score = r.Confidence }),
            topIntent = recognized.Intent.Name,
            entities = recognized.Entities,
            danger = recognized.Danger,
        }, ActivityJson.Options);
        return turn.SendActivityAsync(trace, cancellationToken);
    }

    public Task ApologizeAsync(TurnContext turn) =>
        turn.SendActivityAsync(phrases.Error.For(turn.Activity.Locale), Menu(turn.Activity.Locale));

    private IEnumerable<CardAction> Menu(string? locale) => phrases.Menu.Select(m => CardAction.ImBack(m.Title(locale)));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
