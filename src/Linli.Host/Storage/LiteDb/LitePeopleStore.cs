using Linli.People;

namespace Linli.Storage.LiteDb;

public sealed class LitePeopleStore(LinliDatabase db) : IPeopleStore
{
    public void Save(Person person) => db.People.Upsert(person);

    public Person? Find(string communityId, string personId) =>
        db.People.FindById(personId) is { } person && person.CommunityId == communityId ? person : null;

    public IReadOnlyList<Person> WithPhone(string communityId, string phone) =>
        db.People.Query().Where(p => p.Phone == phone && p.CommunityId == communityId).OrderBy(p => p.Id).ToList();

    public IReadOnlyList<Person> OfUnit(string communityId, string unitId) =>
        // The "UnitIds" index ($.Units[*].UnitId) answers this.
        db.People.Query()
            .Where("$.Units[*].UnitId ANY = @0", unitId)
            .Where(p => p.CommunityId == communityId)
            .OrderBy(p => p.Id)
            .ToList();

    public IReadOnlyList<Person> Staff(string communityId) =>
        db.People.Query().Where(p => p.CommunityId == communityId && p.Title != null).OrderBy(p => p.Id).ToList();

    public bool AnyResidentNamedIn(string communityId, string text) =>
        db.People.Query()
            .Where(p => p.CommunityId == communityId && p.Title == null && !p.IsOrganization)
            .Where("LENGTH($.Name) > 1 AND INDEXOF(@0, $.Name) >= 0", text)
            .Exists();

    public IReadOnlyList<Person> InCommunity(string communityId, int skip = 0, int take = int.MaxValue) =>
        db.People.Query().Where(p => p.CommunityId == communityId).OrderBy(p => p.Id).Skip(skip).Limit(take).ToList();

    public Person? FindByWeComUserId(string weComUserId) => db.People.FindOne(p => p.WeComUserId == weComUserId);
}
