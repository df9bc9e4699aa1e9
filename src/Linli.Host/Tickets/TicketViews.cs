using System.Security.Claims;
using Linli.Accounts;
using Linli.People;

namespace Linli.Tickets;

public sealed record PersonRef(string Id, string Name, string? Title);

public sealed record ReporterView(string Channel, PersonRef? Person, string? Phone, string? Unit);

public sealed record TicketView(
    string Number, string Kind, string? Category, string CommunityId, string? UnitId, string? Location, string? Text,
    string[] Attachments, string Urgency, TicketStatus Status, PersonRef? Assignee, bool Anonymous,
    DateTimeOffset CreatedAt, DateTimeOffset RespondBy, DateTimeOffset ResolveBy, bool Breached,
    int? Rating, string? RatingComment, EmergencyLadder? Ladder, TicketEvent[] History, ReporterView Reporter,
    int Version, TicketMessage[] Messages, TicketNote[] Notes, DateTimeOffset? PausedAt, DateTimeOffset UpdatedAt);

/// <summary>How staff see a ticket: names for ids, the reporter's phone masked, whether it is past due now.</summary>
public static class TicketViews
{
    /// <summary>
    /// The ticket, if it belongs to the community the caller serves; another community's is not even said to exist.
    /// </summary>
    public static Ticket? Own(this TicketService tickets, ClaimsPrincipal user, string number) =>
        user.CommunityId() is { } community && user.Serves(community) ? tickets.Find(community, number) : null;

    public static PersonRef? Ref(this TicketPeople people, string communityId, string? personId) =>
        personId is not null && people.Find(communityId, personId) is { } p
            ? new PersonRef(p.Id, p.Name, p.Title)
            : null;

    public static TicketView View(Ticket t, TicketPeople people, TimeProvider time)
    {
        var reporter = t.Reporter.PersonId is { } pid ? people.Find(t.CommunityId, pid) : null;
        var reporterView = new ReporterView(t.Reporter.ChannelId,
            reporter is null ? null : new PersonRef(reporter.Id, reporter.Name, null),
            reporter is null ? null : PhoneMask.Mask(reporter.Phone),
            t.UnitId is null ? null : people.UnitLabel(t.UnitId));
        return new TicketView(t.Number, t.Kind, t.Category, t.CommunityId, t.UnitId, t.Location, t.Text,
            [.. t.Attachments], t.Urgency, t.Status, people.Ref(t.CommunityId, t.AssigneeId),
            t.Answers.GetValueOrDefault("anonymous") == "yes", t.CreatedAt, t.RespondBy, t.ResolveBy,
            IsBreached(t, time.GetUtcNow()), t.Rating, t.RatingComment, t.Ladder, [.. t.History], reporterView,
            t.Version, [.. t.Messages], [.. t.Notes], t.PausedAt, t.UpdatedAt);
    }

    /// <summary>
    /// Past due now: open, its clock running, and past its resolve-by time, or still unanswered past its respond-by.
    /// </summary>
    private static bool IsBreached(Ticket t, DateTimeOffset now)
    {
        var open = t.Status is not (TicketStatus.Resolved or TicketStatus.Closed);
        var unanswered = t.Status is TicketStatus.New or TicketStatus.Reopened;
        return open && t.PausedAt is null && (t.ResolveBy < now || (unanswered && t.RespondBy < now));
    }
}
