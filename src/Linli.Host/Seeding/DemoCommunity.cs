using Linli.Calendar;
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
        var data = Build(new Random(seed), community, Plan, lastPeriod);
        return data with { People = WithWeComUserIds(data.People) };
    }

    /// <summary>
    /// The manager and the first repair technician have WeCom userids named as their sign-ins, so pages reach a WeCom
    /// app that has members "manager" and "repair1" (docs/wecom.md). Synthetic estates have none: ids are per company.
    /// </summary>
    private static List<Person> WithWeComUserIds(IReadOnlyList<Person> people)
    {
        var ids = new Dictionary<string, string> { ["物业经理"] = "manager", ["维修工"] = "repair1" };
        return [.. people.Select(p =>
            p.Title is { } title && ids.Remove(title, out var id) ? p with { WeComUserId = id } : p)];
    }

    /// <summary>
    /// A synthetic estate of about <paramref name="units"/> flats in 18-storey towers, for benchmarks:
    /// the same people and payment patterns as the demo, at any size.
    /// </summary>
    public static DemoDataSet GenerateSynthetic(int seed, int number, int units, Period lastPeriod)
    {
        var rng = new Random(HashCode.Combine(seed, number));
        var community = new Community
        {
            Id = $"syn{number:D4}",
            Name = $"合成小区{number}号",
            NameEn = $"Synthetic Estate {number}",
            City = "泉州市",
            District = "晋江市",
            Address = $"泉州市晋江市合成路 {number} 号",
            PropertyFeeRate = 1.20m + rng.Next(0, 150) / 100m,
            ParkingFee = 80m + rng.Next(0, 9) * 10m,
        };
        var towers = (units + 71) / 72;
        var plan = Enumerable.Range(1, towers).Select(n => new BuildingPlan(n, 18, [128.6m, 89.5m, 105.3m, 143.2m])).ToArray();
        return Build(rng, community, plan, lastPeriod);
    }

    private static DemoDataSet Build(Random rng, Community community, BuildingPlan[] plan, Period lastPeriod)
    {
        var id = community.Id;
        var buildings = plan.Select(p => new Building
        {
            Id = $"{id}-b{p.Number}", CommunityId = id, Number = p.Number, Floors = p.Floors,
        }).ToList();

        var units = new List<Unit>();
        foreach (var p in plan)
            for (var floor = 1; floor <= p.Floors; floor++)
                for (var pos = 1; pos <= p.AreasByPosition.Length; pos++)
                {
                    var room = $"{floor}{pos:D2}";
                    units.Add(new Unit
                    {
                        Id = $"{id}-{p.Number}-{floor * 100 + pos:D4}",
                        CommunityId = id,
                        BuildingId = $"{id}-b{p.Number}",
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
