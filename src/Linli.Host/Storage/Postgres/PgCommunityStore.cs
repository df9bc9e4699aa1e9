using Dapper;
using Linli.Communities;

namespace Linli.Storage.Postgres;

public sealed class PgCommunityStore(PostgresDatabase db) : ICommunityStore
{
    private const string UnitColumns =
        "id, community_id, building_id, building_number, floor, room, area, has_parking_space";

    public void Save(Community community, IReadOnlyCollection<Building> buildings, IReadOnlyCollection<Unit> units)
    {
        // One statement may not write a row twice: of repeated ids the last is kept (as one upsert after another).
        buildings = buildings.GroupBy(b => b.Id).Select(g => g.Last()).ToList();
        units = units.GroupBy(u => u.Id).Select(g => g.Last()).ToList();
        db.InTransaction((connection, transaction) =>
        {
            connection.Execute("""
                INSERT INTO communities (id, name, name_en, city, district, address, property_fee_rate, parking_fee)
                VALUES (@Id, @Name, @NameEn, @City, @District, @Address, @PropertyFeeRate, @ParkingFee)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
                    city = excluded.city, district = excluded.district, address = excluded.address,
                    property_fee_rate = excluded.property_fee_rate, parking_fee = excluded.parking_fee
                """, community, transaction);
            connection.Execute("""
                INSERT INTO buildings (community_id, id, number, floors)
                SELECT * FROM unnest(@communities, @ids, @numbers, @floors)
                ON CONFLICT (community_id, id) DO UPDATE SET number = excluded.number, floors = excluded.floors
                """, new
            {
                communities = buildings.Select(b => b.CommunityId).ToArray(),
                ids = buildings.Select(b => b.Id).ToArray(),
                numbers = buildings.Select(b => b.Number).ToArray(),
                floors = buildings.Select(b => b.Floors).ToArray(),
            }, transaction);
            // One statement for the whole estate: thousands of flats are one round trip, not thousands.
            connection.Execute($"""
                INSERT INTO units ({UnitColumns})
                SELECT * FROM unnest(@ids, @communities, @buildings, @numbers, @floors, @rooms, @areas, @parking)
                ON CONFLICT (community_id, id) DO UPDATE SET building_id = excluded.building_id,
                    building_number = excluded.building_number, floor = excluded.floor, room = excluded.room,
                    area = excluded.area, has_parking_space = excluded.has_parking_space
                """, new
            {
                ids = units.Select(u => u.Id).ToArray(),
                communities = units.Select(u => u.CommunityId).ToArray(),
                buildings = units.Select(u => u.BuildingId).ToArray(),
                numbers = units.Select(u => u.BuildingNumber).ToArray(),
                floors = units.Select(u => u.Floor).ToArray(),
                rooms = units.Select(u => u.Room).ToArray(),
                areas = units.Select(u => u.Area).ToArray(),
                parking = units.Select(u => u.HasParkingSpace).ToArray(),
            }, transaction);
            return true;
        });
    }

    public IReadOnlyList<Community> All() =>
        db.Run(c => c.Query<Community>("SELECT * FROM communities ORDER BY id").AsList());

    public Community? Find(string communityId) =>
        db.Run(c => c.QuerySingleOrDefault<Community>("SELECT * FROM communities WHERE id = @communityId",
            new { communityId }));

    public IReadOnlyList<Building> Buildings(string communityId) =>
        db.Run(c => c.Query<Building>(
            "SELECT id, community_id, number, floors FROM buildings WHERE community_id = @communityId ORDER BY number",
            new { communityId }).AsList());

    public Building? FindBuilding(string communityId, int number) =>
        db.Run(c => c.QueryFirstOrDefault<Building>("""
            SELECT id, community_id, number, floors FROM buildings
            WHERE community_id = @communityId AND number = @number ORDER BY id
            """, new { communityId, number }));

    public Unit? FindUnit(string unitId) =>
        db.Run(c => c.QuerySingleOrDefault<Unit>(
            $"SELECT {UnitColumns} FROM units WHERE id = @unitId", new { unitId }));

    public Unit? FindUnit(string communityId, int buildingNumber, string room) =>
        db.Run(c => c.QueryFirstOrDefault<Unit>($"""
            SELECT {UnitColumns} FROM units
            WHERE community_id = @communityId AND building_number = @buildingNumber AND room = @room ORDER BY id
            """, new { communityId, buildingNumber, room }));

    public IReadOnlyList<Unit> Units(string communityId, int? buildingNumber = null) =>
        // Rooms are text ("502", "1203"): the floor orders them first; COLLATE "C" compares them as the code does.
        db.Run(c => c.Query<Unit>($"""
            SELECT {UnitColumns} FROM units
            WHERE community_id = @communityId AND (@buildingNumber::int IS NULL OR building_number = @buildingNumber)
            ORDER BY building_number, floor, room COLLATE "C"
            """, new { communityId, buildingNumber }).AsList());

    public IReadOnlyDictionary<string, int> UnitCounts(string communityId) =>
        db.Run(c => c.Query<(string BuildingId, int Count)>(
                "SELECT building_id, count(*)::int FROM units WHERE community_id = @communityId GROUP BY building_id",
                new { communityId })
            .ToDictionary(x => x.BuildingId, x => x.Count));
}
