using Linli.Residents;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Bindings in LiteDB. Every turn asks who is speaking, so each identity's binding (or that it has none) is
/// remembered (<see cref="LinliDatabase.KnownBindings"/>), and every write goes through <see cref="Save"/>.
/// </summary>
public sealed class LiteResidentBindingStore(LinliDatabase db) : IResidentBindingStore
{
    public void Save(ResidentBinding binding) =>
        db.KnownBindings.Write(binding.Id, () => db.ResidentBindings.Upsert(binding), _ => binding);

    public ResidentBinding? Find(string channelId, string userId) =>
        db.KnownBindings.Get(ResidentBinding.IdFor(channelId, userId), id => db.ResidentBindings.FindById(id));

    public IReadOnlyList<ResidentBinding> InCommunity(string communityId) =>
        db.ResidentBindings.Query().Where(b => b.CommunityId == communityId).OrderBy(b => b.Id).ToList();

    public IReadOnlyList<ResidentBinding> OfPerson(string communityId, string personId) =>
        db.ResidentBindings.Query().Where(b => b.PersonId == personId && b.CommunityId == communityId)
            .OrderBy(b => b.Id)
            .ToList();
}
