using Linli.Communities;
using Linli.Fees;
using Linli.People;

namespace Linli.Seeding;

/// <summary>Everything the demo seed writes, in insertion order.</summary>
public sealed record DemoDataSet(
    Community Community,
    IReadOnlyList<Building> Buildings,
    IReadOnlyList<Unit> Units,
    IReadOnlyList<Person> People,
    IReadOnlyList<Bill> Bills,
    IReadOnlyList<Payment> Payments);

/// <summary>
/// 刺桐苑 (Citong Garden), a made-up estate in Fengze district, Quanzhou: five buildings, 300 flats,
/// owners, co-owners and tenants, property staff, volunteers and a mediator, and 24 months of bills.
/// A pure function of its seed and last billed month, so tests and demos see the same estate.
/// </summary>
public static class DemoCommunity
{
    public const string Id = "citong";

    private sealed record BuildingPlan(int Number, int Floors, decimal[] AreasByPosition);

    private static readonly BuildingPlan[] Plan =
    [
        new(1, 18, [128.6m, 89.5m, 105.3m, 143.2m]),
        new(2, 18, [128.6m, 89.5m, 105.3m, 143.2m]),
        new(3, 18, [128.6m, 89.5m, 105.3m, 143.2m]),
        new(5, 14, [96.4m, 118.7m, 135.2m]),   // no building 4: residents avoid the number
        new(6, 14, [96.4m, 118.7m, 135.2m]),
    ];

    public static DemoDataSet Generate(int seed, Period lastPeriod)
    {
        var rng = new Random(seed);
        var community = new Community
        {
            Id = Id,
            Name = "刺桐苑",
            NameEn = "Citong Garden",
            City = "泉州市",
            District = "丰泽区",
            Address = "泉州市丰泽区东海大街 88 号",
            PropertyFeeRate = 1.80m,
            ParkingFee = 120m,
        };

        var buildings = Plan.Select(p => new Building
        {
            Id = $"{Id}-b{p.Number}", CommunityId = Id, Number = p.Number, Floors = p.Floors,
        }).ToList();

        var units = new List<Unit>();
        foreach (var p in Plan)
            for (var floor = 1; floor <= p.Floors; floor++)
                for (var pos = 1; pos <= p.AreasByPosition.Length; pos++)
                {
                    var room = $"{floor}{pos:D2}";
                    units.Add(new Unit
                    {
                        Id = $"{Id}-{p.Number}-{floor * 100 + pos:D4}",
                        CommunityId = Id,
                        BuildingId = $"{Id}-b{p.Number}",
                        BuildingNumber = p.Number,
                        Floor = floor,
                        Room = room,
                        // Surveyed areas differ a little from the plan.
                        Area = p.AreasByPosition[pos - 1] + rng.Next(-40, 41) / 100m,
                        HasParkingSpace = rng.NextDouble() < 0.4,
                    });
                }

        var people = DemoPeople.Generate(rng, units, out var developerUnits);
        var (bills, payments) = DemoBills.Generate(rng, community, units, developerUnits, lastPeriod);
        return new DemoDataSet(community, buildings, units, people, bills, payments);
    }
}
