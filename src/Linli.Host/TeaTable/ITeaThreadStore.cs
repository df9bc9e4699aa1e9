namespace Linli.TeaTable;

/// <summary>
/// Where the tea table's threads are kept. Threads are numbered by the store (the numbers people see, "#12", and
/// that links carry), so creating one is not retried blindly; every other change is saved against the version it
/// was made to, so two moderators, a timer and a new post never undo one another.
/// </summary>
public interface ITeaThreadStore
{
    TeaThread? Find(string communityId, int id);

    /// <summary>
    /// A page of the community's threads as a reader of <paramref name="building"/> sees them (null: every thread;
    /// a number: the community-wide threads and that building's): pinned first, then open before closed, then the
    /// most recently active.
    /// </summary>
    IReadOnlyList<TeaThread> List(string communityId, int? building, int skip, int take);

    /// <summary>
    /// Adds a thread with its opening post, both or neither. The store numbers both (their ids are ignored) and
    /// sets the post's thread; the thread is kept as given otherwise (its post count includes the opening post).
    /// </summary>
    (TeaThread Thread, Post Opening) Create(TeaThread thread, Post opening);

    /// <summary>
    /// Saves <paramref name="thread"/>, a change made to the version it carries: the saved thread (its version one
    /// more), or null when the stored thread has moved on since (read it again and redo the change).
    /// </summary>
    TeaThread? TryUpdate(TeaThread thread);

    /// <summary>
    /// For the clock, in every community: threads with something to do at <paramref name="now"/> (a close or reopen
    /// time reached, or a proposal past its deadline and not yet final).
    /// </summary>
    IReadOnlyList<TeaThread> Due(DateTimeOffset now);

    /// <summary>
    /// For the clock, in every community: open proposals whose deadline is after <paramref name="now"/> and at most
    /// <paramref name="window"/> away, and whose owners have not been reminded yet.
    /// </summary>
    IReadOnlyList<TeaThread> ReminderDue(DateTimeOffset now, TimeSpan window);

    /// <summary>
    /// For the digests, in every community: threads with followers, in order of number after
    /// <paramref name="afterId"/>, at most <paramref name="take"/>.
    /// </summary>
    IReadOnlyList<TeaThread> Followed(int afterId, int take);
}
