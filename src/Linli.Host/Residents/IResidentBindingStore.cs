namespace Linli.Residents;

/// <summary>
/// Chat identities bound to flats. A message names its channel and user, never its community, so
/// <see cref="Find"/> reads by that identity across communities by design (the binding says the community); every
/// other read names one.
/// </summary>
public interface IResidentBindingStore
{
    /// <summary>
    /// Adds the binding, or replaces the one of the same chat identity (bound again, reminded of arrears).
    /// </summary>
    void Save(ResidentBinding binding);

    ResidentBinding? Find(string channelId, string userId);

    /// <summary>The community's bindings, by id.</summary>
    IReadOnlyList<ResidentBinding> InCommunity(string communityId);

    /// <summary>A person's chat identities in the community, by id.</summary>
    IReadOnlyList<ResidentBinding> OfPerson(string communityId, string personId);
}
