using Linli.Communities;
using Linli.People;

namespace Linli.Seeding;

/// <summary>Owners, co-owners, tenants, staff, volunteers and a mediator for the demo units.</summary>
internal static class DemoPeople
{
    /// <summary>
    /// A made-up resident whose details the start page shows, so a newcomer can bind a flat and see its bills:
    /// 3栋502, mobile 13800138000 (a well-known example number, nobody's phone).
    /// </summary>
    public const string DemoResidentPhone = "13800138000";
    public const string DemoResidentUnitLabel = "3栋502";

    public static List<Person> Generate(Random rng, IReadOnlyList<Unit> units, out HashSet<string> developerUnits)
    {
        var names = new ChineseNames(rng);
        var people = new List<Person>();
        var communityId = units[0].CommunityId;
        string NextId() => $"{communityId}-p{people.Count + 1:D4}";

        // The developer still holds a few unsold flats on the top floors of the last building.
        var lastBuilding = units[^1].BuildingNumber;
        var held = units.Where(u => u.BuildingNumber == lastBuilding).OrderByDescending(u => u.Floor)
            .Take(6).Select(u => u.Id).ToHashSet();
        developerUnits = held;
        people.Add(new Person
        {
            Id = NextId(), CommunityId = communityId, Name = "泉州刺桐置业有限公司", Phone = "059522881234",
            IsOrganization = true, Roles = [Role.Owner],
            Units = held.Order().Select(id => new UnitBinding(id, UnitRelation.Owner)).ToList(),
        });

        var forSale = units.Where(u => !held.Contains(u.Id)).ToList();
        // A few investors own two flats; the second one is usually let.
        var secondFlats = forSale.OrderBy(_ => rng.Next()).Take(8).ToList();
        var firstOwners = forSale.Except(secondFlats).ToList();
        var volunteerSlots = Enumerable.Range(0, 3).Select(_ => rng.Next(firstOwners.Count)).ToHashSet();

        var ownerIndexByUnit = new Dictionary<string, int>();
        for (var i = 0; i < firstOwners.Count; i++)
        {
            var unit = firstOwners[i];
            var rented = rng.NextDouble() < 0.13;
            var roles = rented ? new List<Role> { Role.Owner } : [Role.Owner, Role.Resident];
            if (volunteerSlots.Contains(i) && !rented) roles.Add(Role.Volunteer);
            var surname = names.Surname();
            ownerIndexByUnit[unit.Id] = people.Count;
            people.Add(new Person
            {
                Id = NextId(), CommunityId = communityId, Name = names.Name(surname), Phone = names.Phone(),
                Roles = roles, Units = [new UnitBinding(unit.Id, UnitRelation.Owner)],
                Locale = rng.NextDouble() < 0.04 ? "en" : "zh-CN",
            });
            if (!rented && rng.NextDouble() < 0.3)
                people.Add(new Person
                {
                    Id = NextId(), CommunityId = communityId, Name = names.Name(), Phone = names.Phone(),
                    Roles = [Role.Owner, Role.Resident], Units = [new UnitBinding(unit.Id, UnitRelation.CoOwner)],
                });
            if (rented) people.Add(Tenant(unit));
        }

        foreach (var unit in secondFlats)
        {
            var investor = people[ownerIndexByUnit[firstOwners[rng.Next(firstOwners.Count)].Id]];
            investor.Units.Add(new UnitBinding(unit.Id, UnitRelation.Owner));
            people.Add(Tenant(unit));
        }

        if (units.FirstOrDefault(u => u.Label == DemoResidentUnitLabel) is { } demoUnit)
            people.Add(new Person
            {
                Id = NextId(), CommunityId = communityId, Name = "演示居民", Phone = DemoResidentPhone,
                Roles = [Role.Owner, Role.Resident], Units = [new UnitBinding(demoUnit.Id, UnitRelation.CoOwner)],
            });

        // Two owners who live here sit on the residents' committee (they see who voted what).
        foreach (var member in people.Where(p => !p.IsOrganization && p.Has(Role.Owner) && p.Has(Role.Resident) && !p.Has(Role.Volunteer)
                                                  && p.Units.Any(b => b.Relation == UnitRelation.Owner)).Take(2))
            member.Roles.Add(Role.Committee);

        foreach (var (title, role) in Staff)
            people.Add(new Person
            {
                Id = NextId(), CommunityId = communityId, Name = names.Name(), Phone = names.Phone(),
                Roles = role is Role.Manager or Role.SafetyOfficer ? [Role.Staff, role] : [role], Title = title,
            });
        return people;

        Person Tenant(Unit unit) => new()
        {
            Id = NextId(), CommunityId = communityId, Name = names.Name(), Phone = names.Phone(),
            Roles = [Role.Resident], Units = [new UnitBinding(unit.Id, UnitRelation.Tenant)],
        };
    }

    private static readonly (string Title, Role Role)[] Staff =
    [
        ("物业经理", Role.Manager),
        ("客服专员", Role.Staff),
        ("维修工", Role.Staff),
        ("维修工", Role.Staff),
        ("安全员", Role.SafetyOfficer),
        ("人民调解员", Role.Mediator),
        ("社区网格员", Role.Admin),
    ];
}
