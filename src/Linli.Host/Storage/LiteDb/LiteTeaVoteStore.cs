using Linli.TeaTable;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Owners' votes in LiteDB, "{threadId}|{unitId}" per record; a thread's community is read from the thread.
/// </summary>
public sealed class LiteTeaVoteStore(LinliDatabase db) : ITeaVoteStore
{
    public void Cast(string communityId, int threadId, IReadOnlyCollection<VoteRecord> votes)
    {
        if (votes.Any(v => v.ThreadId != threadId || v.Id != VoteRecord.IdFor(threadId, v.UnitId)))
            throw new ArgumentException($"Votes on thread {threadId} only, each with its id.", nameof(votes));
        // One transaction: LiteDB holds the collection for the first write until the commit, so a second vote of the
        // same owner waits and then replaces all of this one.
        db.InTransaction(() =>
        {
            if (!IsOf(communityId, threadId))
                throw new InvalidOperationException($"No thread {threadId} in {communityId}.");
            foreach (var vote in votes.OrderBy(v => v.UnitId, StringComparer.Ordinal)) db.TeaVotes.Upsert(vote);
            return votes.Count;
        });
    }

    public IReadOnlyList<VoteRecord> For(string communityId, int threadId) =>
        IsOf(communityId, threadId)
            ? db.TeaVotes.Find(v => v.ThreadId == threadId).OrderBy(v => v.At).ThenBy(v => v.UnitId).ToList()
            : [];

    public bool Any(string communityId, int threadId) =>
        IsOf(communityId, threadId) && db.TeaVotes.Exists(v => v.ThreadId == threadId);

    public Stance? StanceOf(string communityId, int threadId, string personId) =>
        IsOf(communityId, threadId)
            ? db.TeaVotes.FindOne(v => v.ThreadId == threadId && v.PersonId == personId)?.Stance
            : null;

    private bool IsOf(string communityId, int threadId) =>
        db.TeaThreads.FindById(threadId)?.CommunityId == communityId;
}
