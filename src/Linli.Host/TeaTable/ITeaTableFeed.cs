namespace Linli.TeaTable;

/// <summary>What live viewers of a thread are told.</summary>
public interface ITeaTableFeed
{
    void PostAdded(PostView post);
    void PostChanged(PostView post);
    void PostRemoved(int threadId, int postId);
    void ThreadChanged(ThreadView thread);
    /// <summary>
    /// A post counted in its thread: told to the pages listing threads only (the thread's own viewers have the post).
    /// </summary>
    void ThreadCounted(ThreadView thread);
    /// <summary>Tell the thread's viewers how many neighbours have it open.</summary>
    void PresenceChanged(int threadId);
    /// <summary>Tell the consoles of the staff a post names.</summary>
    void Mentioned(string communityId, MentionView mention);
}

/// <summary>
/// Tells the consoles of the staff a post names: the staff console implements it (the tea table does not know it).
/// </summary>
public interface IStaffMentions
{
    Task Mentioned(string communityId, MentionView mention);
}
