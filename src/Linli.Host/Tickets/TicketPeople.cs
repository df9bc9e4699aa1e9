using Linli.People;
using Linli.Storage;

namespace Linli.Tickets;

/// <summary>
/// What tickets read of people and flats: staff to route to, page and name, a reporter's name, a flat's label. These
/// are People's and Communities' data, read here from the database until those features have stores of their own;
/// this is the one place in Tickets and the staff console that does.
/// </summary>
public sealed class TicketPeople(LinliDatabase db)
{
    public Person? Find(string communityId, string personId) =>
        db.People.FindById(personId) is { } person && person.CommunityId == communityId ? person : null;

    /// <summary>The community's staff (the people with a job title), in the order they were added.</summary>
    public IReadOnlyList<Person> Staff(string communityId) =>
        [.. db.People.Find(p => p.CommunityId == communityId).Where(p => p.Title is not null).OrderBy(p => p.Id)];

    public bool IsStaffOf(string personId, string communityId) => Find(communityId, personId) is { Title: not null };

    /// <summary>Where a building's tickets are: its flats, or a place described as "3栋…".</summary>
    public TicketPlace Building(string communityId, int number) => new(
        [.. db.Units.Find(u => u.CommunityId == communityId && u.BuildingNumber == number).Select(u => u.Id)],
        $"{number}栋");

    /// <summary>"3栋502".</summary>
    public string? UnitLabel(string unitId) => db.Units.FindById(unitId)?.Label;
}
