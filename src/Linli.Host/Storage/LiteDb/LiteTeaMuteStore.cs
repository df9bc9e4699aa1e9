using Linli.TeaTable;

namespace Linli.Storage.LiteDb;

/// <summary>Mutes in LiteDB, one document per community and person ("{communityId}|{personId}").</summary>
public sealed class LiteTeaMuteStore(LinliDatabase db) : ITeaMuteStore
{
    public Mute? Find(string communityId, string personId) => db.TeaMutes.FindById(Mute.IdFor(communityId, personId));

    public void Save(string communityId, string personId, Mute mute) =>
        db.TeaMutes.Upsert(mute with { Id = Mute.IdFor(communityId, personId) });

    public bool Delete(string communityId, string personId) => db.TeaMutes.Delete(Mute.IdFor(communityId, personId));
}
