using Linli.Communities;
using Linli.People;
using Linli.Residents;
using Linli.Storage;

namespace Linli.TeaTable;

/// <summary>
/// What the tea table reads of other features' data: people, flats, buildings and residents' chat bindings. In one
/// place, so that when those features keep their data behind stores of their own only this class changes.
/// </summary>
public sealed class TeaTableDirectory(LinliDatabase db)
{
    public Person? Person(string id) => db.People.FindById(id);

    /// <summary>Everyone on file in the community (owners, tenants, staff, the developer).</summary>
    public List<Person> People(string communityId) => db.People.Find(p => p.CommunityId == communityId).ToList();

    /// <summary>The community's staff: people with a title (物业经理, 维修师傅), whom a post can name.</summary>
    public List<Person> Staff(string communityId) =>
        db.People.Find(p => p.CommunityId == communityId && p.Title != null).ToList();

    public Unit? Unit(string id) => db.Units.FindById(id);

    /// <summary>The flats of the community, or of one of its buildings.</summary>
    public List<Unit> Units(string communityId, int? building) =>
        db.Units.Find(u => u.CommunityId == communityId)
            .Where(u => building is null || u.BuildingNumber == building)
            .ToList();

    public bool BuildingExists(string communityId, int number) =>
        db.Buildings.Exists(b => b.CommunityId == communityId && b.Number == number);

    /// <summary>The chats a person is bound in, where the tea table can reach them.</summary>
    public List<ResidentBinding> Bindings(string personId) =>
        db.ResidentBindings.Find(b => b.PersonId == personId).ToList();
}
