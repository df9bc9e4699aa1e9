using System.Text.Json;
using System.Text.RegularExpressions;
using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;
using Linli.Calendar;
using Linli.Phrases;
using Linli.Residents;
using Linli.StaffConsole;
using Linli.Tickets;
using static Linli.Chat.ChatText;

namespace Linli.Chat;

/// <summary>
/// The bot and the resident's tickets: news of them, asking after them, handoffs to staff and back, and emergencies
/// raised or stood down.
/// </summary>
public sealed partial class TicketTalk(CommonPhrases phrases, IRecognizer recognizer, DialogManager dialogs,
    TicketService tickets, ResidentDirectory residents)
{
    private const string RatingDialog = "ticket_rating", AnswerDialog = "ticket_more_info";

    /// <summary>What a false alarm may become, in the order the first message's ranking prefers them.</summary>
    private static readonly string[] InsteadOfEmergency =
        [Intents.HazardReport, Intents.RepairRequest, Intents.Complaint];

    /// <summary>A ticket number as residents quote it ("BX-20261127-0001 怎么样了").</summary>
    [GeneratedRegex(@"\b(BX|TS|YH|JJ|TJ|RG)-\d{8}-\d{4}\b", RegexOptions.IgnoreCase)]
    public static partial Regex TicketNumber();

    /// <summary>
    /// A ticket of this resident moved on (a turn Linli started): say so, and once it is resolved ask for a rating,
    /// unless the resident is in the middle of something else.
    /// </summary>
    public async Task OnTicketChangedAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var change = turn.Activity.Value?.Deserialize<TicketChanged>(ActivityJson.Options);
        if (change is null) return;
        var number = ("number", (object?)change.Number);
        var text = change.LadderStep is { } step && phrases.TicketLadder.TryGetValue(step, out var ladder)
            ? ladder.Format(locale, number)
            : phrases.TicketStatus.TryGetValue(change.Status, out var words) ? words.Format(locale, number) : null;
        if (text is null) return;
        if (!string.IsNullOrWhiteSpace(change.Note)) text += "\n" + change.Note;
        await turn.SendActivityAsync(text, cancellationToken: cancellationToken);
        var idle = !dialogs.IsActive(turn);
        if (change.Status == nameof(TicketStatus.Resolved) && idle && dialogs.Dialogs.ContainsKey(RatingDialog))
            await BeginAboutAsync(turn, RatingDialog, change.Number, cancellationToken);
        // Staff asked something: the resident's next words are the answer (the ticket's clock waits for it).
        else if (change.Status == nameof(TicketStatus.WaitingOnResident) && change.LadderStep is null && idle
                 && dialogs.Dialogs.ContainsKey(AnswerDialog))
            await BeginAboutAsync(turn, AnswerDialog, change.Number, cancellationToken);
    }

    private Task BeginAboutAsync(TurnContext turn, string dialog, string ticket, CancellationToken cancellationToken) =>
        dialogs.BeginAsync(turn, dialog, null, cancellationToken,
            new Dictionary<string, string> { ["ticket"] = ticket });

    /// <summary>A ticket asked after by number: told only to whoever reported it or lives there.</summary>
    public async Task TellTicketAsync(TurnContext turn, string number, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var ticket = tickets.Find(number);
        if (ticket is null || !IsTheirs(turn, ticket))
        {
            await turn.SendActivityAsync(phrases.TicketNotFound.Format(locale, ("number", number)),
                phrases.MenuButtons(locale), cancellationToken);
            return;
        }
        var respondBy = ticket.RespondBy.InChina().ToString("M/d HH:mm");
        var text = phrases.TicketStatus.TryGetValue(ticket.Status.ToString(), out var status)
            ? status.Format(locale, ("number", number))
            : phrases.TicketReceived.Format(locale, ("number", number), ("respond_by", respondBy));
        await turn.SendActivityAsync(text, cancellationToken: cancellationToken);
    }

    private bool IsTheirs(TurnContext turn, Ticket ticket)
    {
        var reported = ticket.Reporter.ChannelId == turn.Activity.ChannelId
                       && ticket.Reporter.UserId == turn.Activity.From?.Id;
        return reported || (residents.WhoIs(turn.Activity).UnitId is { } unit && ticket.UnitId == unit);
    }

    /// <summary>
    /// "我的报修怎么样了", "my repair": a question about one's own tickets, not a new report.
    /// </summary>
    public bool IsAboutMyTickets(string text, string intent)
    {
        if (Mentions(text, phrases.MyTicketWords)) return true;
        if (!Mentions(text, phrases.StatusWords)) return false;
        return Mentions(text, phrases.TicketWords)
               || intent is Intents.RepairRequest or Intents.Complaint or Intents.HazardReport or Intents.Mediation;
    }

    /// <summary>
    /// The resident's tickets still being handled: those they reported, and their flat's; nobody else's.
    /// </summary>
    public async Task TellMyTicketsAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var speaker = residents.WhoIs(turn.Activity);
        var open = tickets.OpenFor(turn.Activity.ChannelId ?? "", turn.Activity.From?.Id ?? "", speaker.UnitId)
            .Take(5).ToList();
        if (open.Count == 0)
        {
            await turn.SendActivityAsync(phrases.NoTickets.For(locale), phrases.MenuButtons(locale), cancellationToken);
            return;
        }
        var lines = open.Select(t => Line(t, locale));
        await turn.SendActivityAsync(phrases.MyTickets.Format(locale, ("tickets", string.Join("\n", lines))),
            cancellationToken: cancellationToken);
    }

    private string Line(Ticket ticket, string? locale)
    {
        var status = ticket.Status.ToString();
        return phrases.MyTicketLine.Format(locale,
            ("number", ticket.Number),
            ("kind", phrases.TicketKinds.GetValueOrDefault(ticket.Kind)?.For(locale) ?? ticket.Kind),
            ("what", Shorten(ticket.Text ?? ticket.Location ?? "", 20)),
            ("state", phrases.TicketStates.GetValueOrDefault(status)?.For(locale) ?? status));
    }

    public async Task HandOffAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var ticket = Open(turn, Intents.HumanHandoff);
        // As Bot Framework signals it: an event the channel (or an agent hub) can act on, then words for the resident.
        var initiate = turn.Activity.CreateReply();
        initiate.Type = ActivityTypes.Event;
        initiate.Name = HandoffService.Initiate;
        initiate.Value = JsonSerializer.SerializeToElement(new { ticket = ticket.Number }, ActivityJson.Options);
        await turn.SendActivityAsync(initiate, cancellationToken);
        await turn.SendActivityAsync(phrases.Handoff.Format(turn.Activity.Locale, ("number", ticket.Number)),
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Staff handed the conversation back: what was in progress before goes on (the time with a person does not count
    /// against it); otherwise the menu.
    /// </summary>
    public async Task OnHandedBackAsync(TurnContext turn, CancellationToken cancellationToken)
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
        await turn.SendActivityAsync(phrases.HandoffCompleted.For(locale), phrases.MenuButtons(locale),
            cancellationToken);
    }

    /// <summary>
    /// Danger said to a person who has the conversation: the duty officer is paged all the same, and the resident
    /// told what to do now.
    /// </summary>
    public async Task RaiseEmergencyDuringHandoffAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        Open(turn, Intents.Emergency);
        var emergency = dialogs.ForIntent(Intents.Emergency)!;
        var locale = turn.Activity.Locale;
        if (emergency.Intro is { } intro)
            await turn.SendActivityAsync(intro.For(locale),
                emergency.SideButton is { } side ? [CardAction.ImBack(side.For(locale))] : null, cancellationToken);
    }

    private Ticket Open(TurnContext turn, string intent)
    {
        var speaker = residents.WhoIs(turn.Activity);
        var said = new Dictionary<string, string> { ["text"] = turn.Activity.Text ?? "" };
        return tickets.Open(intent, said, turn.Activity, speaker.CommunityId, speaker.UnitId, speaker.PersonId);
    }

    /// <summary>
    /// "不是紧急情况": the emergency just raised is closed (its paging stops) and what the resident said becomes
    /// a hazard, repair or complaint report, begun with their first message so that nothing is asked twice.
    /// </summary>
    public async Task StandDownAsync(TurnContext turn, Ticket raised, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var first = await recognizer.RecognizeAsync(raised.Text ?? "", locale, cancellationToken);
        var instead = first.Ranking.Select(r => r.Name).FirstOrDefault(InsteadOfEmergency.Contains)
                      ?? Intents.HazardReport;
        var service = phrases.IntentNames[instead];
        // Staff may have taken it up meanwhile: then it stands, and the resident is told so.
        var note = phrases.FalseAlarmNote.Format(null, ("service", service.For(null)));
        if (tickets.StandDown(raised.Number, note) is null)
        {
            await turn.SendActivityAsync(phrases.EmergencyStands.For(locale), cancellationToken: cancellationToken);
            return;
        }
        dialogs.CancelAll(turn);
        var said = phrases.FalseAlarm.Format(locale, ("number", raised.Number), ("service", service.For(locale)));
        await turn.SendActivityAsync(said, cancellationToken: cancellationToken);
        var known = raised.Location is { Length: > 0 } location
            ? new Dictionary<string, string> { ["location"] = location }
            : null;
        var understood = first with { Intent = new IntentScore(instead, 1) };
        await dialogs.BeginAsync(turn, dialogs.ForIntent(instead)!.Id, understood, cancellationToken, known);
    }

    /// <summary>
    /// A message inside the emergency dialog that is not where it is: a cancel leaves the alarm standing (the button
    /// calls it off), and more danger ("我妈已经晕倒了") goes onto the case for the duty officer before "where?"
    /// is asked again.
    /// </summary>
    public async Task<bool> WithinEmergencyAsync(TurnContext turn, RecognizerResult? recognized, DialogStack stack,
        CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var number = stack.Active!.Values.GetValueOrDefault("number");
        if (recognized?.Intent.Name == Intents.Cancel)
        {
            await turn.SendActivityAsync(phrases.EmergencyStands.For(locale), cancellationToken: cancellationToken);
            await dialogs.RepromptAsync(turn, cancellationToken);
            return true;
        }
        if (recognized is { Danger: not null } && number is not null
            && recognized.Entity("unit") is null && recognized.Entity("place") is null)
        {
            tickets.ResidentAnswered(number, recognized.Text);
            await turn.SendActivityAsync(phrases.EmergencyNoted.For(locale), cancellationToken: cancellationToken);
            await dialogs.RepromptAsync(turn, cancellationToken);
            return true;
        }
        return false;
    }
}
