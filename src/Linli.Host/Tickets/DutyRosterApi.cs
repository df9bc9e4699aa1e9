using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;

namespace Linli.Tickets;

public sealed record RosterView(string CommunityId, PersonRef[] OnDuty);

public sealed record RosterUpdate(string[]? PersonIds);

/// <summary>Who is paged for emergencies, in order, set by the office; and the audit trail of what staff did.</summary>
public static class DutyRosterApi
{
    public static RouteGroupBuilder Map(RouteGroupBuilder staff)
    {
        staff.MapGet("/communities/{communityId}/duty-roster", GetRoster)
            .WithSummary("Who is paged for emergencies, in order");
        staff.MapPut("/communities/{communityId}/duty-roster", PutRoster).WithSummary("Set the duty roster");
        staff.MapGet("/communities/{communityId}/audit", Audit)
            .WithTags("Audit").WithSummary("What staff and moderators did, latest first");
        return staff;
    }

    /// <summary>Staff of the community only: the group's filter.</summary>
    private static IResult Audit(string communityId, AuditTrail audit, int? take) =>
        Results.Ok(audit.For(communityId, Math.Clamp(take ?? 100, 1, 1000)));

    private static IResult GetRoster(string communityId, DutyRosters rosters, TicketPeople people)
    {
        var onDuty = rosters.Roster(communityId).Select(id => people.Ref(communityId, id)).OfType<PersonRef>();
        return TypedResults.Ok(new RosterView(communityId, [.. onDuty]));
    }

    private static IResult PutRoster(string communityId, RosterUpdate update, ClaimsPrincipal user,
        DutyRosters rosters, TicketPeople people, AuditTrail audit)
    {
        var ids = update.PersonIds ?? [];
        if (ids.Length == 0) throw DomainProblem.Bad("tickets.roster_empty");
        var strangers = ids.Where(id => !people.IsStaffOf(id, communityId)).ToList();
        if (strangers.Count > 0)
            throw DomainProblem.Bad("tickets.roster_strangers",
                new { communityId, strangers = string.Join(", ", strangers) });
        rosters.SetRoster(communityId, ids.Distinct().ToList());
        audit.Record(user, "roster.set", communityId, string.Join(",", ids));
        return GetRoster(communityId, rosters, people);
    }
}
