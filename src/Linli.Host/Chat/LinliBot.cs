using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;
using System.Text.Json;

namespace Linli.Chat;

/// <summary>
/// The resident-facing bot: understands the message, lets emergency, cancel, help and "talk to staff" interrupt
/// any dialog, asks before switching to another task, and otherwise leads the dialog in progress.
/// </summary>
public sealed partial class LinliBot(CommonPhrases phrases, IRecognizer recognizer, DialogManager dialogs, Linli.Tickets.TicketService tickets,
    Linli.Residents.ResidentDirectory residents, Linli.StaffConsole.HandoffService handoffs, IConfiguration configuration) : IBot
{
    private const string EmulatorChannel = "emulator";

    /// <summary>How sure the classifier must be before free text in a dialog counts as an interruption.</summary>
    private const double InterruptConfidence = 0.6;

    public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var locale = activity.Locale;

        if (activity.IsType(ActivityTypes.ConversationUpdate))
        {
            // Welcome each person who joins, not the bot itself.
            if (activity.MembersAdded?.Any(m => m.Id != activity.Recipient?.Id) == true)
                await turn.SendActivityAsync(phrases.Welcome.For(locale), Menu(locale), cancellationToken);
            return;
        }
        if (activity.IsType(ActivityTypes.Event) && activity.Name == Linli.Tickets.TicketChanged.EventName)
        {
            await OnTicketChangedAsync(turn, cancellationToken);
            return;
        }
        if (!activity.IsType(ActivityTypes.Message)) return;

        // A person has this conversation: what the resident says goes to them, and the bot keeps quiet.
        if (handoffs.For(activity.ChannelId ?? "", activity.From?.Id ?? "") is { } handoff)
        {
            handoffs.ResidentSaid(handoff, activity.Text ?? (activity.Attachments is { Count: > 0 } ? "[photo]" : ""));
            return;
        }

        var text = activity.Text?.Trim() ?? "";
        var recognized = text.Length > 0 ? await RecognizeAsync(text, locale, cancellationToken) : null;
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

        // An answer that fits the question (a tapped button, a flat number) is an answer, whatever else it resembles.
        // In free text only a clear interruption counts: "算了" is one, "楼道的灯不亮了" is a description.
        var step = dialogs.CurrentStep(turn)!;
        var fits = PromptParser.Parse(step, turn.Activity, recognized, phrases.Engine) is not null;
        var confident = recognized is not null && recognized.Intent.Confidence >= InterruptConfidence;
        // Saying more about the same thing ("3栋502着火了" while reporting the fire) is an answer, not a new start.
        var sameTask = dialogs.ForIntent(intent)?.Id == stack.Active!.DialogId;
        if (!sameTask && !(fits && step.Prompt != "text") && (!fits || confident))
        {
            switch (intent)
            {
                case Intents.Emergency:
                    dialogs.CancelAll(turn);
                    await dialogs.BeginAsync(turn, dialogs.ForIntent(Intents.Emergency)!.Id, recognized, cancellationToken);
                    return;
                case Intents.Cancel:
                    dialogs.CancelAll(turn);
                    await turn.SendActivityAsync(phrases.Cancelled.For(locale), Menu(locale), cancellationToken);
                    return;
                case Intents.Help:
                    await turn.SendActivityAsync(phrases.HelpInDialog.For(locale), cancellationToken: cancellationToken);
                    await dialogs.RepromptAsync(turn, cancellationToken);
                    return;
                case Intents.HumanHandoff:
                    dialogs.CancelAll(turn);
                    await HandOffAsync(turn, cancellationToken);
                    return;
            }
        }

        // Another task mid-dialog: where the answer does not fit the question, ask whether to switch.
        var other = dialogs.ForIntent(intent);
        if (!fits && other is not null && other.Id != dialogs.Stack(turn).Active!.DialogId)
        {
            dialogs.Save(turn, dialogs.Stack(turn) with { PendingSwitch = intent });
            var title = phrases.Menu.FirstOrDefault(m => m.Id == intent)?.Title(locale) ?? intent;
            await turn.SendActivityAsync(phrases.SwitchQuestion.Format(locale, title),
                [CardAction.ImBack(phrases.Engine.Yes.For(locale)), CardAction.ImBack(phrases.Engine.No.For(locale))], cancellationToken);
            return;
        }
        await dialogs.ContinueAsync(turn, recognized, cancellationToken);
    }

    private async Task RouteAsync(TurnContext turn, RecognizerResult? recognized, string intent, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        // A ticket number ("BX-20261127-0001 怎么样了") asks about that ticket: told only to whoever reported it or lives there.
        if (TicketNumber().Match(turn.Activity.Text ?? "") is { Success: true } quoted)
        {
            await TellTicketAsync(turn, quoted.Value.ToUpperInvariant(), cancellationToken);
            return;
        }
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
                await turn.SendActivityAsync(phrases.Welcome.For(locale), Menu(locale), cancellationToken);
                return;
        }
        if (phrases.Menu.FirstOrDefault(m => m.Id == intent) is { } item)
            await turn.SendActivityAsync(phrases.ComingSoon.Format(locale, item.Title(locale)), Menu(locale), cancellationToken);
        else if (recognized is null && turn.Activity.Attachments is { Count: > 0 } files)
            await turn.SendActivityAsync(phrases.AttachmentReceived.Format(locale, files.Count), Menu(locale), cancellationToken);
        else
            await turn.SendActivityAsync(phrases.Heard.Format(locale, Shorten(turn.Activity.Text ?? "")), Menu(locale), cancellationToken);
    }

    private async Task<RecognizerResult> RecognizeAsync(string text, string? locale, CancellationToken cancellationToken)
    {
        // A tapped menu button means exactly what it says; no need to guess.
        if (phrases.Menu.FirstOrDefault(m => m.Matches(text)) is { } item)
            return new RecognizerResult(text, new IntentScore(item.Id, 1), [new IntentScore(item.Id, 1)], []);
        return await recognizer.RecognizeAsync(text, locale, cancellationToken);
    }

    /// <summary>
    /// A ticket of this resident moved on (a turn Linli started): say so, and once it is resolved ask for a rating,
    /// unless the resident is in the middle of something else.
    /// </summary>
    private async Task OnTicketChangedAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var change = turn.Activity.Value?.Deserialize<Linli.Tickets.TicketChanged>(ActivityJson.Options);
        if (change is null) return;
        var text = change.LadderStep is { } step && phrases.TicketLadder.TryGetValue(step, out var ladder)
            ? ladder.Format(locale, change.Number)
            : phrases.TicketStatus.TryGetValue(change.Status, out var words) ? words.Format(locale, change.Number) : null;
        if (text is null) return;
        if (!string.IsNullOrWhiteSpace(change.Note)) text += "\n" + change.Note;
        await turn.SendActivityAsync(text, cancellationToken: cancellationToken);
        if (change.Status == nameof(Linli.Tickets.TicketStatus.Resolved) && !dialogs.IsActive(turn) && dialogs.Dialogs.ContainsKey(RatingDialog))
            await dialogs.BeginAsync(turn, RatingDialog, null, cancellationToken, new Dictionary<string, string> { ["ticket"] = change.Number });
        // Staff asked something: the resident's next words are the answer (the ticket's clock waits for it).
        else if (change.Status == nameof(Linli.Tickets.TicketStatus.WaitingOnResident) && change.LadderStep is null && !dialogs.IsActive(turn)
                 && dialogs.Dialogs.ContainsKey(AnswerDialog))
            await dialogs.BeginAsync(turn, AnswerDialog, null, cancellationToken, new Dictionary<string, string> { ["ticket"] = change.Number });
    }

    private const string RatingDialog = "ticket_rating", AnswerDialog = "ticket_more_info";

    private async Task TellTicketAsync(TurnContext turn, string number, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var ticket = tickets.Find(number);
        var speaker = residents.WhoIs(turn.Activity);
        var theirs = ticket is not null
                     && ((ticket.Reporter.ChannelId == turn.Activity.ChannelId && ticket.Reporter.UserId == turn.Activity.From?.Id)
                         || (speaker.UnitId is not null && ticket.UnitId == speaker.UnitId));
        if (!theirs)
        {
            await turn.SendActivityAsync(phrases.TicketNotFound.Format(locale, number), Menu(locale), cancellationToken);
            return;
        }
        var text = phrases.TicketStatus.TryGetValue(ticket!.Status.ToString(), out var status)
            ? status.Format(locale, number)
            : phrases.TicketReceived.Format(locale, number, ticket.RespondBy.ToOffset(TimeSpan.FromHours(8)).ToString("M/d HH:mm"));
        await turn.SendActivityAsync(text, cancellationToken: cancellationToken);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(BX|TS|YH|JJ|TJ|RG)-\d{8}-\d{4}\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex TicketNumber();

    private async Task HandOffAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var speaker = residents.WhoIs(turn.Activity);
        var ticket = tickets.Open(Intents.HumanHandoff, new Dictionary<string, string> { ["text"] = turn.Activity.Text ?? "" }, turn.Activity,
            speaker.CommunityId, speaker.UnitId, speaker.PersonId);
        // As Bot Framework signals it: an event the channel (or an agent hub) can act on, then words for the resident.
        var initiate = turn.Activity.CreateReply();
        initiate.Type = ActivityTypes.Event;
        initiate.Name = Linli.StaffConsole.HandoffService.Initiate;
        initiate.Value = JsonSerializer.SerializeToElement(new { ticket = ticket.Number }, ActivityJson.Options);
        await turn.SendActivityAsync(initiate, cancellationToken);
        await turn.SendActivityAsync(phrases.Handoff.Format(turn.Activity.Locale, ticket.Number), cancellationToken: cancellationToken);
    }

    /// <summary>As Bot Builder's recognizers do: the Emulator shows what was understood.</summary>
    private static Task SendTraceAsync(TurnContext turn, RecognizerResult recognized, CancellationToken cancellationToken)
    {
        var trace = turn.Activity.CreateReply();
        trace.Type = ActivityTypes.Trace;
        trace.Name = "LinliRecognizer";
        trace.Label = "Recognizer result";
        trace.ValueType = "https://www.botframework.com/schemas/recognizerResult";
        trace.Value = System.Text.Json.JsonSerializer.SerializeToElement(new
        {
            text = recognized.Text,
            intents = recognized.Ranking.Take(5).ToDictionary(r => r.Name, r => new { score = r.Confidence }),
            topIntent = recognized.Intent.Name,
            entities = recognized.Entities,
        }, ActivityJson.Options);
        return turn.SendActivityAsync(trace, cancellationToken);
    }

    public Task ApologizeAsync(TurnContext turn) =>
        turn.SendActivityAsync(phrases.Error.For(turn.Activity.Locale), Menu(turn.Activity.Locale));

    private IEnumerable<CardAction> Menu(string? locale) => phrases.Menu.Select(m => CardAction.ImBack(m.Title(locale)));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
