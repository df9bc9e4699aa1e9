using System.Text.Json;
using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;
using Linli.Calendar;
using Linli.Tickets;

namespace Linli.Chat;

/// <summary>The bot and the resident's tickets: news of them, asking after them, handoffs, and emergencies raised or stood down.</summary>
public sealed partial class LinliBot
{
    private const string RatingDialog = "ticket_rating", AnswerDialog = "ticket_more_info";

    /// <summary>What a false alarm may become, in the order the classifier's ranking of the first message prefers them.</summary>
    private static readonly string[] InsteadOfEmergency = [Intents.HazardReport, Intents.RepairRequest, Intents.Complaint];

    /// <summary>
    /// A ticket of this resident moved on (a turn Linli started): say so, and once it is resolved ask for a rating,
    /// unless the resident is in the middle of something else.
    /// </summary>
    private async Task OnTicketChangedAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var change = turn.Activity.Value?.Deserialize<TicketChanged>(ActivityJson.Options);
        if (change is null) return;
        var text = change.LadderStep is { } step && phrases.TicketLadder.TryGetValue(step, out var ladder)
            ? ladder.Format(locale, change.Number)
            : phrases.TicketStatus.TryGetValue(change.Status, out var words) ? words.Format(locale, change.Number) : null;
        if (text is null) return;
        if (!string.IsNullOrWhiteSpace(change.Note)) text += "\n" + change.Note;
        await turn.SendActivityAsync(text, cancellationToken: cancellationToken);
        if (change.Status == nameof(TicketStatus.Resolved) && !dialogs.IsActive(turn) && dialogs.Dialogs.ContainsKey(RatingDialog))
            await dialogs.BeginAsync(turn, RatingDialog, null, cancellationToken, new Dictionary<string, string> { ["ticket"] = change.Number });
        // Staff asked something: the resident's next words are the answer (the ticket's clock waits for it).
        else if (change.Status == nameof(TicketStatus.WaitingOnResident) && change.LadderStep is null && !dialogs.IsActive(turn)
                 && dialogs.Dialogs.ContainsKey(AnswerDialog))
            await dialogs.BeginAsync(turn, AnswerDialog, null, cancellationToken, new Dictionary<string, string> { ["ticket"] = change.Number });
    }

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
            : phrases.TicketReceived.Format(locale, number, ticket.RespondBy.InChina().ToString("M/d HH:mm"));
        await turn.SendActivityAsync(text, cancellationToken: cancellationToken);
    }

    /// <summary>"我的报修怎么样了", "my repair": a question about one's own tickets, not a new report.</summary>
    private bool IsAboutMyTickets(string text, string intent)
    {
        if (Mentions(text, phrases.MyTicketWords)) return true;
        if (!Mentions(text, phrases.StatusWords)) return false;
        return Mentions(text, phrases.TicketWords) || intent is Intents.RepairRequest or Intents.Complaint or Intents.HazardReport or Intents.Mediation;
    }

    /// <summary>The resident's tickets still being handled: those they reported, and their flat's; nobody else's.</summary>
    private async Task TellMyTicketsAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var speaker = residents.WhoIs(turn.Activity);
        var open = tickets.OpenFor(turn.Activity.ChannelId ?? "", turn.Activity.From?.Id ?? "", speaker.UnitId).Take(5).ToList();
        if (open.Count == 0)
        {
            await turn.SendActivityAsync(phrases.NoTickets.For(locale), Menu(locale), cancellationToken);
            return;
        }
        var lines = open.Select(t =>
        {
            var kind = phrases.TicketKinds.GetValueOrDefault(t.Kind)?.For(locale) ?? t.Kind;
            var what = Shorten(t.Text ?? t.Location ?? "");
            var state = phrases.TicketStates.GetValueOrDefault(t.Status.ToString())?.For(locale) ?? t.Status.ToString();
            return $"• {t.Number} {kind} {(what.Length > 20 ? what[..20] + "…" : what)} — {state}";
        });
        await turn.SendActivityAsync(phrases.MyTickets.Format(locale, string.Join("\n", lines)), cancellationToken: cancellationToken);
    }

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

    /// <summary>
    /// Staff handed the conversation back: what was in progress before goes on (the time with a person does not count
    /// against it); otherwise the menu.
    /// </summary>
    private async Task OnHandedBackAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        if (dialogs.IsActive(turn))
        {
            dialogs.Touch(turn);
            await turn.SendActivityAsync(phrases.ResumeAfterHandoff.For(locale), cancellationToken: cancellationToken);
            await dialogs.RepromptAsync(turn, cancellationToken);
            return;
        }
        dialogs.CancelAll(turn);
        await turn.SendActivityAsync(phrases.HandoffCompleted.For(locale), Menu(locale), cancellationToken);
    }

    /// <summary>Danger said to a person who has the conversation: the duty officer is paged all the same, and the resident told what to do now.</summary>
    private async Task RaiseEmergencyDuringHandoffAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var speaker = residents.WhoIs(turn.Activity);
        tickets.Open(Intents.Emergency, new Dictionary<string, string> { ["text"] = turn.Activity.Text ?? "" }, turn.Activity,
            speaker.CommunityId, speaker.UnitId, speaker.PersonId);
        var emergency = dialogs.ForIntent(Intents.Emergency)!;
        var locale = turn.Activity.Locale;
        if (emergency.Intro is { } intro)
            await turn.SendActivityAsync(intro.For(locale),
                emergency.SideButton is { } side ? [CardAction.ImBack(side.For(locale))] : null, cancellationToken);
    }

    /// <summary>
    /// "不是紧急情况": the emergency just raised is closed (its paging stops) and what the resident said becomes a hazard,
    /// repair or complaint report, begun with their first message so that nothing is asked twice.
    /// </summary>
    private async Task StandDownAsync(TurnContext turn, Ticket raised, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var said = raised.Text ?? "";
        var first = await recognizer.RecognizeAsync(said, locale, cancellationToken);
        var instead = first.Ranking.Select(r => r.Name).FirstOrDefault(InsteadOfEmergency.Contains) ?? Intents.HazardReport;
        // Staff may have taken it up meanwhile: then it stands, and the resident is told so.
        if (tickets.StandDown(raised.Number, $"居民：不是紧急情况；改按{phrases.IntentNames[instead].For(null)}登记") is null)
        {
            await turn.SendActivityAsync(phrases.EmergencyStands.For(locale), cancellationToken: cancellationToken);
            return;
        }
        dialogs.CancelAll(turn);
        await turn.SendActivityAsync(phrases.FalseAlarm.Format(locale, raised.Number, phrases.IntentNames[instead].For(locale)), cancellationToken: cancellationToken);
        var known = raised.Location is { Length: > 0 } location ? new Dictionary<string, string> { ["location"] = location } : null;
        await dialogs.BeginAsync(turn, dialogs.ForIntent(instead)!.Id, first with { Intent = new IntentScore(instead, 1) }, cancellationToken, known);
    }

    /// <summary>
    /// A message inside the emergency dialog that is not where it is: a cancel leaves the alarm standing (the button calls
    /// it off), and more danger ("我妈已经晕倒了") goes onto the case for the duty officer before "where?" is asked again.
    /// </summary>
    private async Task<bool> WithinEmergencyAsync(TurnContext turn, RecognizerResult? recognized, DialogStack stack, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var number = stack.Active!.Values.GetValueOrDefault("number");
        if (recognized?.Intent.Name == Intents.Cancel)
        {
            await turn.SendActivityAsync(phrases.EmergencyStands.For(locale), cancellationToken: cancellationToken);
            await dialogs.RepromptAsync(turn, cancellationToken);
            return true;
        }
        if (recognized?.Danger is not null && number is not null && recognized.Entity("unit") is null && recognized.Entity("place") is null)
        {
            tickets.ResidentAnswered(number, recognized.Text);
            await turn.SendActivityAsync(phrases.EmergencyNoted.For(locale), cancellationToken: cancellationToken);
            await dialogs.RepromptAsync(turn, cancellationToken);
            return true;
        }
        return false;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(BX|TS|YH|JJ|TJ|RG)-\d{8}-\d{4}\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex TicketNumber();
}
