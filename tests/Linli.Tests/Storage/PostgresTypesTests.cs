using Linli.Calendar;
using Linli.Communities;
using Linli.Notices;
using Linli.Storage;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage;

/// <summary>What PostgreSQL would refuse or keep differently from LiteDB, unless the stores see to it.</summary>
public sealed class PostgresTypesTests : IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    [Fact]
    public void AnInstantInChinaTimeIsKeptAsTheSameInstant()
    {
        var store = new PgNoticeStore(_postgres.Db);
        var at = new DateTimeOffset(2026, 11, 2, 12, 0, 0, 123, ChinaTime.Offset);
        var notice = new Notice
        {
            Id = Ids.New(), CommunityId = "north", Scope = NoticeScope.Community, Title = "停水",
            Body = "明天停水", PublishedAt = at, PublishedBy = "staff-1",
        };

        store.Save(notice);

        Assert.Equal(at, store.Find("north", notice.Id)!.PublishedAt);
    }

    [Fact]
    public void AnEstateWhoseRoomsSwapOrRepeatIsSavedInOneGo()
    {
        var store = new PgCommunityStore(_postgres.Db);
        var community = new Community
        {
            Id = "north", Name = "北苑", NameEn = "North", City = "泉州", District = "丰泽区", Address = "1号",
            PropertyFeeRate = 1.5m, ParkingFee = 100m,
        };
        Building[] buildings = [new() { Id = "north-b1", CommunityId = "north", Number = 1, Floors = 6 }];
        Unit Flat(string id, string room) => new()
        {
            Id = id, CommunityId = "north", BuildingId = "north-b1", BuildingNumber = 1, Floor = 5, Room = room,
            Area = 80m,
        };
        store.Save(community, buildings, [Flat("north-1-a", "501"), Flat("north-1-b", "502")]);

        // The two flats' rooms swapped by an import, and one flat given twice: the last of it counts.
        store.Save(community, buildings,
            [Flat("north-1-a", "502"), Flat("north-1-b", "509"), Flat("north-1-b", "501")]);

        Assert.Equal("north-1-b", store.FindUnit("north", 1, "501")!.Id);
        Assert.Equal("north-1-a", store.FindUnit("north", 1, "502")!.Id);
        Assert.Equal(2, store.Units("north").Count);
    }

    public void Dispose() => _postgres.Dispose();
}
