using Linli.Communities;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ICommunityStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class CommunityStoreContract
{
    protected abstract ICommunityStore Store { get; }

    private static Community NewCommunity(string id) => new()
    {
        Id = id, Name = $"{id}苑", NameEn = $"{id} Court",
        City = "泉州", District = "丰泽区", Address = "刺桐路 1 号",
        PropertyFeeRate = 1.85m, ParkingFee = 150.5m,
    };

    private static Building NewBuilding(string community, int number, int floors = 18) => new()
    {
        Id = $"{community}-b{number}", CommunityId = community, Number = number, Floors = floors,
    };

    private static Unit NewUnit(string community, int building, int floor, int position, decimal area = 89.37m) => new()
    {
        Id = $"{community}-{building}-{floor * 100 + position:D4}", CommunityId = community,
        BuildingId = $"{community}-b{building}", BuildingNumber = building, Floor = floor,
        Room = $"{floor}{position:D2}", Area = area, HasParkingSpace = position % 2 == 0,
    };

    /// <summary>Two buildings (3 and 10) with units on floors 5 and 12, in the community given.</summary>
    private void SaveEstate(string community)
    {
        Store.Save(NewCommunity(community), [NewBuilding(community, 10), NewBuilding(community, 3, floors: 6)],
        [
            NewUnit(community, 10, 12, 1), NewUnit(community, 3, 12, 2), NewUnit(community, 3, 5, 2),
            NewUnit(community, 3, 5, 1), NewUnit(community, 10, 5, 1),
        ]);
    }

    [Fact]
    public void AFlatIsFoundByItsLabelWrittenWhole()
    {
        SaveEstate("north");
        SaveEstate("south");

        Assert.Equal("north-3-0502", Store.FindFlat("north", " 3栋502 ")?.Id);
        Assert.Equal("south-10-1201", Store.FindFlat("south", "10栋1201")?.Id);
        // Only the label as the flat writes it, in the community asked about.
        Assert.Null(Store.FindFlat("north", "03栋502"));
        Assert.Null(Store.FindFlat("north", "3栋 502"));
        Assert.Null(Store.FindFlat("north", "栋502"));
        Assert.Null(Store.FindFlat("north", null));
        Assert.Null(Store.FindFlat("east", "3栋502"));
    }

    [Fact]
    public void ACommunityIsSavedWithItsBuildingsAndUnitsAndEveryFieldRoundTrips()
    {
        SaveEstate("north");

        Assert.Equal(NewCommunity("north"), Store.Find("north"));
        Assert.Equal([NewBuilding("north", 3, floors: 6), NewBuilding("north", 10)], Store.Buildings("north"));
        Assert.Equal(NewUnit("north", 3, 12, 2), Store.FindUnit("north-3-1202"));
        Assert.Equal(89.37m, Store.FindUnit("north-3-1202")!.Area);
        Assert.Null(Store.Find("south"));
        Assert.Null(Store.FindUnit("south-3-1202"));
    }

    [Fact]
    public void SavingAgainReplacesRatherThanAdds()
    {
        SaveEstate("north");
        var renamed = NewCommunity("north") with { Name = "北苑", PropertyFeeRate = 2.1m };
        Store.Save(renamed, [NewBuilding("north", 3, floors: 7)], [NewUnit("north", 3, 5, 1, area: 120.05m)]);

        Assert.Equal(renamed, Assert.Single(Store.All()));
        Assert.Equal(7, Store.FindBuilding("north", 3)!.Floors);
        Assert.Equal(2, Store.Buildings("north").Count);
        Assert.Equal(120.05m, Store.FindUnit("north", 3, "501")!.Area);
        Assert.Equal(5, Store.Units("north").Count);
    }

    [Fact]
    public void AllIsEveryCommunityById()
    {
        foreach (var id in new[] { "west", "east", "north" }) Store.Save(NewCommunity(id), [], []);
        Assert.Equal(["east", "north", "west"], Store.All().Select(c => c.Id));
    }

    [Fact]
    public void BuildingsAndFlatsAreFoundInTheirOwnCommunityOnly()
    {
        SaveEstate("north");
        SaveEstate("south");

        Assert.Equal("north-b3", Store.FindBuilding("north", 3)?.Id);
        Assert.Null(Store.FindBuilding("north", 4));
        Assert.Equal("south-3-0502", Store.FindUnit("south", 3, "502")?.Id);
        Assert.Null(Store.FindUnit("south", 3, "503"));
        Assert.Null(Store.FindUnit("east", 3, "502"));
        Assert.All(Store.Units("south"), u => Assert.Equal("south", u.CommunityId));
        Assert.Empty(Store.Buildings("east"));
    }

    [Fact]
    public void UnitsComeByBuildingFloorAndRoomAndOneBuildingsWhenAsked()
    {
        SaveEstate("north");

        Assert.Equal(["3栋501", "3栋502", "3栋1202", "10栋501", "10栋1201"],
            Store.Units("north").Select(u => u.Label));
        Assert.Equal(["10栋501", "10栋1201"], Store.Units("north", buildingNumber: 10).Select(u => u.Label));
        Assert.Empty(Store.Units("north", buildingNumber: 4));
    }

    [Fact]
    public void UnitCountsAreByBuilding()
    {
        SaveEstate("north");
        SaveEstate("south");

        var counts = Store.UnitCounts("north");
        Assert.Equal(2, counts.Count);
        Assert.Equal(3, counts["north-b3"]);
        Assert.Equal(2, counts["north-b10"]);
        Assert.Empty(Store.UnitCounts("east"));
    }
}

public sealed class LiteCommunityStoreTests : CommunityStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteCommunityStoreTests() => Store = new LiteCommunityStore(_db);

    protected override ICommunityStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgCommunityStoreTests : CommunityStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ICommunityStore Store => field ??= new PgCommunityStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
