using Linli.Bot.Dialogs;
using Linli.Bot.Turns;
using Linli.Residents;

namespace Linli.Tickets;

/// <summary>What a handler answers, at once (none of these waits on anything).</summary>
internal static class DialogAnswer
{
    public static Task<IReadOnlyDictionary<string, string>> Now(Dictionary<string, string> result) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(result);
}

/// <summary>
/// The handlers the report dialogs name: each turns the answers into a ticket of its kind and gives its number.
/// </summary>
public abstract class OpenTicketHandler(TicketService tickets, ResidentDirectory residents) : IDialogHandler
{
    public abstract string Name { get; }
    protected abstract string Kind { get; }

    public virtual Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var ticket = Open(completion);
        return DialogAnswer.Now(ThenPhotos(ticket));
    }

    /// <summary>
    /// The ticket's number for the resident, and photos asked for after it: a report never waits on a photo.
    /// </summary>
    protected static Dictionary<string, string> ThenPhotos(Ticket ticket, string? after = null)
    {
        var result = new Dictionary<string, string>
        {
            ["number"] = ticket.Number, ["ticket"] = ticket.Number, [DialogResults.Next] = TicketPhotosHandler.Dialog,
        };
        if (after is not null) result[TicketPhotosHandler.After] = after;
        return result;
    }

    protected Ticket Open(DialogCompletion completion) => Open(Kind, completion.Values, completion.Turn);

    protected Ticket Open(string kind, IReadOnlyDictionary<string, string> values, TurnContext turn)
    {
        var speaker = residents.WhoIs(turn.Activity);
        // The flat named in the dialog, or else the resident's own when the problem is at home.
        var unit = values.TryGetValue("unit", out var label) ? residents.FindUnit(label)?.Id : null;
        return tickets.Open(kind, values, turn.Activity, speaker.CommunityId, unit, speaker.PersonId);
    }

    protected TicketService Tickets => tickets;
    protected ResidentDirectory Residents => residents;
}

/// <summary>repair_request.submit: logs the repair and gives its number.</summary>
public sealed class RepairRequestHandler(TicketService tickets, ResidentDirectory residents)
    : OpenTicketHandler(tickets, residents)
{
    public override string Name => "repair_request.submit";
    protected override string Kind => "repair_request";
}

/// <summary>hazard_report.submit: a safety ticket, routed straight to the safety officer.</summary>
public sealed class HazardReportHandler(TicketService tickets, ResidentDirectory residents)
    : OpenTicketHandler(tickets, residents)
{
    public override string Name => "hazard_report.submit";
    protected override string Kind => "hazard_report";
}

/// <summary>complaint.submit: logs the complaint; a quarrel between neighbours goes on to offer mediation.</summary>
public sealed class ComplaintHandler(TicketService tickets, ResidentDirectory residents)
    : OpenTicketHandler(tickets, residents)
{
    /// <summary>Complaints that are usually about a neighbour rather than the property company.</summary>
    private static readonly HashSet<string> NeighbourCategories = ["noise", "pets", "clutter"];

    public override string Name => "complaint.submit";
    protected override string Kind => "complaint";

    public override Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var ticket = Open(completion);
        // A quarrel between neighbours: mediation is offered once the photos are in.
        var neighbours = ticket.Category is { } category && NeighbourCategories.Contains(category);
        var result = ThenPhotos(ticket, neighbours ? "mediation_offer" : null);
        if (neighbours) result[DialogResults.Outcome] = "neighbour";
        return DialogAnswer.Now(result);
    }
}

/// <summary>mediation_offer.answer: "yes" turns the complaint into a mediation request as well.</summary>
public sealed class MediationOfferHandler(TicketService tickets, ResidentDirectory residents)
    : OpenTicketHandler(tickets, residents)
{
    public override string Name => "mediation_offer.answer";
    protected override string Kind => "mediation";

    public override Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var values = completion.Values;
        var accepted = values.GetValueOrDefault("accept") == "yes";
        if (!accepted || Tickets.Find(values.GetValueOrDefault("number") ?? "") is not { } complaint)
            return DialogAnswer.Now(new Dictionary<string, string> { [DialogResults.Outcome] = "declined" });
        var mediation = Open(Kind, new Dictionary<string, string>
        {
            ["category"] = complaint.Category ?? "", ["location"] = complaint.Location ?? "",
            ["description"] = complaint.Text ?? "", ["complaint"] = complaint.Number,
        }, completion.Turn);
        return DialogAnswer.Now(new Dictionary<string, string> { ["mediation"] = mediation.Number });
    }
}

/// <summary>
/// emergency.alarm: runs before any question. The ticket opens and the first person on duty is paged at once.
/// </summary>
public sealed class EmergencyAlarmHandler(TicketService tickets, ResidentDirectory residents)
    : OpenTicketHandler(tickets, residents)
{
    public override string Name => "emergency.alarm";
    protected override string Kind => "emergency";

    public override Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var said = new Dictionary<string, string> { ["text"] = completion.Turn.Activity.Text ?? "" };
        var ticket = Open(Kind, said, completion.Turn);
        return DialogAnswer.Now(new Dictionary<string, string> { ["number"] = ticket.Number });
    }
}

/// <summary>emergency.submit: adds where it is to the emergency already paged.</summary>
public sealed class EmergencyLocationHandler(TicketService tickets) : IDialogHandler
{
    public string Name => "emergency.submit";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var values = completion.Values;
        if (values.TryGetValue("number", out var number) && values.TryGetValue("location", out var location))
            tickets.Locate(number, location);
        return DialogAnswer.Now([]);
    }
}

/// <summary>ticket_rating.submit: 1–5 after a resolution; "not fixed" reopens the ticket instead.</summary>
public sealed class TicketRatingHandler(TicketService tickets) : IDialogHandler
{
    public string Name => "ticket_rating.submit";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var number = completion.Values["ticket"];
        var comment = completion.Values.GetValueOrDefault("comment");
        if (int.TryParse(completion.Values["rating"], out var stars))
        {
            tickets.Rate(number, stars, comment);
            return DialogAnswer.Now([]);
        }
        tickets.Reopen(number, comment);
        return DialogAnswer.Now(new Dictionary<string, string> { [DialogResults.Outcome] = "reopened" });
    }
}

/// <summary>
/// ticket_more_info.submit: the resident's answer to what staff asked; the ticket's clock runs again.
/// </summary>
public sealed class TicketAnswerHandler(TicketService tickets) : IDialogHandler
{
    public string Name => "ticket_more_info.submit";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        tickets.ResidentAnswered(completion.Values["ticket"], completion.Values["answer"]);
        return DialogAnswer.Now([]);
    }
}

/// <summary>
/// ticket_photos.attach: photos sent after a report go onto its ticket; then whatever the report said comes next.
/// </summary>
public sealed class TicketPhotosHandler(TicketService tickets) : IDialogHandler
{
    public const string Dialog = "ticket_photos", After = "after";

    public string Name => "ticket_photos.attach";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var number = completion.Values["ticket"];
        var photos = TicketService.Photos(completion.Values.GetValueOrDefault("photo"));
        var result = new Dictionary<string, string> { ["ticket"] = number, ["number"] = number };
        if (photos.Length > 0) tickets.AddAttachments(number, photos);
        else result[DialogResults.Outcome] = "skipped";
        if (completion.Values.GetValueOrDefault(After) is { Length: > 0 } after) result[DialogResults.Next] = after;
        return DialogAnswer.Now(result);
    }
}

/// <summary>unit_exists: the flat named ("3栋502") is one Linli knows.</summary>
public sealed class UnitExistsValidator(ResidentDirectory residents) : IDialogValidator
{
    public string Name => "unit_exists";

    public Task<bool> IsValidAsync(string value, TurnContext turn, CancellationToken cancellationToken) =>
        Task.FromResult(residents.FindUnit(value) is not null);
}
