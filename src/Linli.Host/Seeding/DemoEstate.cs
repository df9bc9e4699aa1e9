using Linli.Communities;
using Linli.People;

namespace Linli.Seeding;

/// <summary>The demo's people by what they do, and who lives in each flat.</summary>
internal sealed class DemoEstate
{
    private readonly Dictionary<string, Person> _staff;
    private readonly Dictionary<string, Unit> _units;
    private readonly ILookup<string, Person> _byUnit;

    public DemoEstate(DemoDataSet data)
    {
        Community = data.Community.Id;
        var people = data.People.ToDictionary(p => p.Id);
        // The README's sign-ins (manager, repair1…) name the staff here too.
        _staff = DemoAccounts.For(data.People, Community, isDemo: true, passwordHash: "")
            .ToDictionary(a => a.Id, a => people[a.PersonId]);
        _units = data.Units.ToDictionary(u => u.Label);
        _byUnit = data.People.Where(p => !p.IsOrganization)
            .SelectMany(p => p.Units.Select(b => (b.UnitId, Person: p))).ToLookup(x => x.UnitId, x => x.Person);
        Owner = data.People.FirstOrDefault(p => p.Phone == DemoPeople.DemoResidentPhone);
    }

    public string Community { get; }
    /// <summary>The demo resident of 3栋502, who reports that flat's tickets.</summary>
    private Person? Owner { get; }

    public Person Staff(string account) => _staff[account];
    public Unit Unit(string flat) => _units[flat];

    /// <summary>Who speaks for a flat: the demo resident in theirs, else one who lives there, else the owner.
    /// </summary>
    public Person Resident(string flat)
    {
        var unit = Unit(flat);
        if (Owner is not null && Owner.Units.Any(b => b.UnitId == unit.Id)) return Owner;
        var people = _byUnit[unit.Id].ToList();
        return people.FirstOrDefault(p => p.Has(Role.Resident)) ?? people.First();
    }

    /// <summary>A flat's first owner, for mediation parties.</summary>
    public Person OwnerOf(string flat) => _byUnit[Unit(flat).Id].First(p => p.Units.Any(b =>
        b.UnitId == Unit(flat).Id && b.Relation == UnitRelation.Owner));
}
