namespace Linli.Communities;

/// <summary>
/// Communities with their buildings and flats: reference data that many features read and few write (the seeder, an
/// import). A unit's id begins with its community's id and is unique across this Linli, so a caller holding one (from
/// a binding, a bill, a ticket) finds the unit by that id alone; every other read names its community.
/// </summary>
public interface ICommunityStore
{
    /// <summary>
    /// Adds the community with its buildings and units, replacing any with the same ids; all of it lands or none does.
    /// </summary>
    void Save(Community community, IReadOnlyCollection<Building> buildings, IReadOnlyCollection<Unit> units);

    /// <summary>Every community this Linli serves, by id.</summary>
    IReadOnlyList<Community> All();

    Community? Find(string communityId);

    /// <summary>The community's buildings, by number.</summary>
    IReadOnlyList<Building> Buildings(string communityId);

    Building? FindBuilding(string communityId, int number);

    Unit? FindUnit(string unitId);

    /// <summary>The flat residents call "3栋502": building 3, room "502".</summary>
    Unit? FindUnit(string communityId, int buildingNumber, string room);

    /// <summary>The community's units, or one building's, by building, floor and room.</summary>
    IReadOnlyList<Unit> Units(string communityId, int? buildingNumber = null);

    /// <summary>How many units each of the community's buildings has, by building id.</summary>
    IReadOnlyDictionary<string, int> UnitCounts(string communityId);
}
