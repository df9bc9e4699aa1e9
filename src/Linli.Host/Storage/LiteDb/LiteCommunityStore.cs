using Linli.Communities;

namespace Linli.Storage.LiteDb;

public sealed class LiteCommunityStore(LinliDatabase db) : ICommunityStore
{
    public void Save(Community community, IReadOnlyCollection<Building> buildings, IReadOnlyCollection<Unit> units) =>
        db.InTransaction(() =>
        {
            db.Communities.Upsert(community);
            db.Buildings.Upsert(buildings);
            db.Units.Upsert(units);
            return true;
        });

    public IReadOnlyList<Community> All() => db.Communities.Query().OrderBy(c => c.Id).ToList();

    public Community? Find(string communityId) => db.Communities.FindById(communityId);

    // Sorted here, not by LiteDB: a few dozen buildings sort in memory faster than the engine's sort pages (the office
    // dashboard asks on every view; bench/ fees measured ×2.4).
    public IReadOnlyList<Building> Buildings(string communityId) =>
        db.Buildings.Find(b => b.CommunityId == communityId).OrderBy(b => b.Number).ToList();

    public Building? FindBuilding(string communityId, int number) =>
        db.Buildings.FindOne(b => b.CommunityId == communityId && b.Number == number);

    public Unit? FindUnit(string unitId) => db.Units.FindById(unitId);

    public Unit? FindUnit(string communityId, int buildingNumber, string room) =>
        db.Units.FindOne(u => u.Room == room && u.BuildingNumber == buildingNumber && u.CommunityId == communityId);

    public IReadOnlyList<Unit> Units(string communityId, int? buildingNumber = null)
    {
        var units = buildingNumber is { } number
            ? db.Units.Find(u => u.CommunityId == communityId && u.BuildingNumber == number)
            : db.Units.Find(u => u.CommunityId == communityId);
        // Rooms are text ("502", "1203"): the floor orders them first.
        return units.OrderBy(u => u.BuildingNumber).ThenBy(u => u.Floor).ThenBy(u => u.Room, StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyDictionary<string, int> UnitCounts(string communityId) =>
        db.Units.Query().Where(u => u.CommunityId == communityId).Select(u => u.BuildingId).ToEnumerable()
            .GroupBy(id => id)
            .ToDictionary(g => g.Key, g => g.Count());
}
