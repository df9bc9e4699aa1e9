namespace Linli.TeaTable;

/// <summary>
/// Where owners' votes on proposals are kept: one record per unit and proposal, replaced when its owner votes again.
/// A thread's votes are read and written through its community; another community's thread has none.
/// </summary>
public interface ITeaVoteStore
{
    /// <summary>
    /// An owner's vote: a record for every unit they speak for, replacing those units' earlier votes, all together
    /// (two votes of one owner at the same moment end as one or the other, never half of each). Casting the same
    /// records again changes nothing. A thread that is not the community's is refused with an
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    void Cast(string communityId, int threadId, IReadOnlyCollection<VoteRecord> votes);

    /// <summary>The votes on the thread's proposal, earliest first.</summary>
    IReadOnlyList<VoteRecord> For(string communityId, int threadId);

    bool Any(string communityId, int threadId);

    /// <summary>How <paramref name="personId"/> voted on the thread's proposal, if they did.</summary>
    Stance? StanceOf(string communityId, int threadId, string personId);
}
