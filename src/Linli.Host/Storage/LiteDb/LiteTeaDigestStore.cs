using Linli.TeaTable;

namespace Linli.Storage.LiteDb;

/// <summary>Digest marks in LiteDB, one document per thread and follower ("{threadId}|{personId}").</summary>
public sealed class LiteTeaDigestStore(LinliDatabase db) : ITeaDigestStore
{
    public IReadOnlyDictionary<string, DigestMark> Marks(string communityId, int threadId)
    {
        if (!IsOf(communityId, threadId)) return new Dictionary<string, DigestMark>();
        var prefix = DigestMark.IdFor(threadId, "");
        return db.TeaDigests.Find(m => m.Id.StartsWith(prefix)).ToDictionary(m => m.Id[prefix.Length..]);
    }

    public void Save(string communityId, int threadId, string personId, DigestMark mark)
    {
        if (!IsOf(communityId, threadId))
            throw new InvalidOperationException($"No thread {threadId} in {communityId}.");
        db.TeaDigests.Upsert(mark with { Id = DigestMark.IdFor(threadId, personId) });
    }

    private bool IsOf(string communityId, int threadId) =>
        db.TeaThreads.FindById(threadId)?.CommunityId == communityId;
}
