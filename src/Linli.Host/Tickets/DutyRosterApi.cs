using System.Security.Claims;
using Linli.Accounts;

namespace Linli.Tickets;

public sealed record RosterView(string CommunityId, PersonRef[] OnDuty);

public sealed record RosterUpdate(string[]? PersonIds);

/// <summary>Who is paged for emergencies, in order, set by the office; and the audit trail of what staff did.</summary>
public static class DutyRosterApi
{
    public static RouteGroupBuilder MapDutyRoster(this RouteGroupBuilder staff)
    {
        staff.MapGet("/communities/{communityId}/duty-roster", GetRoster)
            .WithSummary("Who is paged for emergencies, in order");
        staff.MapPut("/communities/{communityId}/duty-roster", PutRoster).WithSummary("Set the duty roster");
        staff.MapGet("/communities/{communityId}/audit", Audit)
            .WithTags("Audit").WithSummary("What staff and moderators did, latest first");
        return staff;
    }

    private static IResult Audit(string communityId, ClaimsPrincipal user, AuditTrail audit, int? take) =>
        user.Serves(communityId)
            ? Results.Ok(audit.For(communityId, Math.Clamp(take ?? 100, 1, 1000)))
            : TicketsApi.Forbidden(communityId);

    private static IResult GetRoster(string communityId, ClaimsPrincipal user, DutyRosters rosters,
        TicketPeople people)
    {
        if (!user.Serves(communityId)) return TicketsApi.Forbidden(communityId);
        var onDuty = rosters.Roster(communityId).Select(id => people.Ref(communityId, id)).OfType<PersonRef>();
        return TypedResults.Ok(new RosterView(communityId, [.. onDuty]));
    }

    private static IResult PutRoster(string communityId, RosterUpdate update, ClaimsPrincipal user,
        DutyRosters rosters, TicketPeople people, AuditTrail audit)
    {
        if (!user.Serves(communityId)) return TicketsApi.Forbidden(communityId);
        var ids = update.PersonIds ?? [];
        if (ids.Length == 0) return TicketsApi.Bad("Empty roster", "Name at least one person on duty.");
        var strangers = ids.Where(id => !people.IsStaffOf(id, communityId)).ToList();
        if (strangers.Count > 0)
            return TicketsApi.Bad("Not staff here", $"Not staff of {communityId}: {string.Join(", ", strangers)}.");
        rosters.SetRoster(communityId, ids.Distinct().ToList());
        audit.Record(user, "roster.set", communityId, string.Join(",", ids));
        return GetRoster(communityId, user, rosters, people);
    }
}
