using Linli.People;
using Linli.Communities;

namespace Linli.Tickets;

/// <summary>
/// What tickets read of people and flats, through People's and Communities' stores: staff to route to, page and
/// name, a reporter's name, a flat's label.
/// </summary>
public sealed class TicketPeople(IPeopleStore people, ICommunityStore communities)
{
    public Person? Find(string communityId, string personId) => people.Find(communityId, personId);

    /// <summary>The community's staff (the people with a job title), in the order they were added.</summary>
    public IReadOnlyList<Person> Staff(string communityId) => people.Staff(communityId);

    public bool IsStaffOf(string personId, string communityId) => Find(communityId, personId) is { Title: not null };

    /// <summary>Where a building's tickets are: its flats, or a place described as "3栋…".</summary>
    public TicketPlace Building(string communityId, int number) =>
        new([.. communities.Units(communityId, number).Select(u => u.Id)], $"{number}栋");

    /// <summary>"3栋502".</summary>
    public string? UnitLabel(string unitId) => communities.FindUnit(unitId)?.Label;
}
