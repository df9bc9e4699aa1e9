using Linli.Hosting;
using Linli.People;

namespace Linli.Tickets;

/// <summary>
/// Who is on duty in each community and in what order they are paged; the round robin's turns; and reaching staff:
/// paging them, and telling them a ticket is now theirs.
/// </summary>
public sealed class DutyRosters(ITicketStore store, TicketPeople people, IStaffPager pager, IStaffNotifier notifier)
{
    /// <summary>
    /// The community's duty roster in paging order; without one, its staff in the order they were added.
    /// </summary>
    public List<string> Roster(string communityId) =>
        store.FindRoster(communityId) is { PersonIds.Count: > 0 } roster
            ? roster.PersonIds
            : [.. people.Staff(communityId).Where(p => p.Has(Role.Staff)).Select(p => p.Id)];

    public void SetRoster(string communityId, List<string> personIds) => store.SaveRoster(communityId, personIds);

    /// <summary>
    /// 轮训: the next person on duty after the one who got the last round-robin ticket, whose turn it now is. Two
    /// turns taken at once go to two people in a row.
    /// </summary>
    public string TakeRoundRobinTurn(string communityId)
    {
        while (true)
        {
            var roster = Roster(communityId);
            if (roster.Count == 0) throw DomainProblem.Conflict("tickets.pass_on.no_roster");
            var last = store.FindRoster(communityId)?.LastRoundRobin;
            var next = roster[(roster.IndexOf(last ?? "") + 1) % roster.Count];
            if (store.TryMoveRoundRobin(communityId, last, next)) return next;
        }
    }

    public string? Manager(string communityId) =>
        people.Staff(communityId).FirstOrDefault(p => p.Has(Role.Manager))?.Id;

    public void Page(Ticket ticket, string personId, string reason = "emergency")
    {
        if (people.Find(ticket.CommunityId, personId) is { } person) pager.Page(ticket, person, reason);
    }

    /// <summary>The ticket became <paramref name="personId"/>'s by another's doing (a claim is one's own).</summary>
    public void Assigned(Ticket ticket, string personId)
    {
        if (people.Find(ticket.CommunityId, personId) is { } person) notifier.Assigned(ticket, person);
    }
}
