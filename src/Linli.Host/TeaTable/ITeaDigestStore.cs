namespace Linli.TeaTable;

/// <summary>Where each follower's last digest of a thread got to.</summary>
public interface ITeaDigestStore
{
    /// <summary>The marks of the thread's followers, by person (none for another community's thread).</summary>
    IReadOnlyDictionary<string, DigestMark> Marks(string communityId, int threadId);

    /// <summary>Adds or replaces the follower's mark.</summary>
    void Save(string communityId, int threadId, string personId, DigestMark mark);
}
