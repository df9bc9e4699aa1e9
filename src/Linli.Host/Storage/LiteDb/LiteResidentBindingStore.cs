using Linli.Residents;

namespace Linli.Storage.LiteDb;

public sealed class LiteResidentBindingStore(LinliDatabase db) : IResidentBindingStore
{
    public void Save(ResidentBinding binding) => db.ResidentBindings.Upsert(binding);

    public ResidentBinding? Find(string channelId, string userId) =>
        db.ResidentBindings.FindById(ResidentBinding.IdFor(channelId, userId));

    public IReadOnlyList<ResidentBinding> InCommunity(string communityId) =>
        db.ResidentBindings.Query().Where(b => b.CommunityId == communityId).OrderBy(b => b.Id).ToList();

    public IReadOnlyList<ResidentBinding> OfPerson(string communityId, string personId) =>
        db.ResidentBindings.Query().Where(b => b.PersonId == personId && b.CommunityId == communityId)
            .OrderBy(b => b.Id)
            .ToList();
}
