namespace Linli.People;

/// <summary>
/// Everyone Linli knows: residents and the people who serve them. Reads name the community, except a WeCom member id,
/// which one office's WeCom gives across every estate it runs (see <see cref="FindByWeComUserId"/>).
/// </summary>
public interface IPeopleStore
{
    /// <summary>Adds the person, or replaces the one with their id.</summary>
    void Save(Person person);

    Person? Find(string communityId, string personId);

    /// <summary>The community's people whose phone on file is <paramref name="phone"/> (digits only), by id.</summary>
    IReadOnlyList<Person> WithPhone(string communityId, string phone);

    /// <summary>Whoever is tied to the unit (owners, tenants, family), by id.</summary>
    IReadOnlyList<Person> OfUnit(string communityId, string unitId);

    /// <summary>The community's staff: the people with a job title, by id.</summary>
    IReadOnlyList<Person> Staff(string communityId);

    /// <summary>
    /// Whether <paramref name="text"/> contains the name, two characters or more, of one of the community's residents:
    /// a person with no job title who is not an organisation.
    /// </summary>
    bool AnyResidentNamedIn(string communityId, string text);

    /// <summary>The community's people by id, a page at a time.</summary>
    IReadOnlyList<Person> InCommunity(string communityId, int skip = 0, int take = int.MaxValue);

    /// <summary>
    /// Whoever has this member id in the office's WeCom, in any community, by design: a message from WeCom names no
    /// community, and a member id is held by one person only across this Linli.
    /// </summary>
    Person? FindByWeComUserId(string weComUserId);
}
