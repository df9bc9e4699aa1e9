using Linli.Communities;
using Linli.People;
using Linli.Residents;

namespace Linli.TeaTable;

/// <summary>
/// What the tea table reads of other features' data (people, flats, buildings and residents' chat bindings), through
/// their stores, in one place.
/// </summary>
public sealed class TeaTableDirectory(IPeopleStore people, ICommunityStore communities, IResidentBindingStore bindings)
{
    public Person? Person(string communityId, string id) => people.Find(communityId, id);

    /// <summary>Everyone on file in the community (owners, tenants, staff, the developer).</summary>
    public IReadOnlyList<Person> People(string communityId) => people.InCommunity(communityId);

    /// <summary>
    /// The community's staff: people with a title (物业经理, 维修师傅), whom a post can name.
    /// </summary>
    public IReadOnlyList<Person> Staff(string communityId) => people.Staff(communityId);

    public Unit? Unit(string id) => communities.FindUnit(id);

    /// <summary>The flats of the community, or of one of its buildings.</summary>
    public IReadOnlyList<Unit> Units(string communityId, int? building) => communities.Units(communityId, building);

    public bool BuildingExists(string communityId, int number) =>
        communities.FindBuilding(communityId, number) is not null;

    /// <summary>The chats a person is bound in, where the tea table can reach them.</summary>
    public IReadOnlyList<ResidentBinding> Bindings(string communityId, string personId) =>
        bindings.OfPerson(communityId, personId);
}
