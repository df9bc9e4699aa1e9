namespace Linli.TeaTable;

/// <summary>
/// Where the posts of the tea table are kept. Posts are numbered by the store, in the order they are added; every
/// change to a post is saved against the version it was made to.
/// </summary>
public interface ITeaPostStore
{
    Post? Find(string communityId, int id);

    /// <summary>
    /// Adds <paramref name="post"/> to its thread and counts it there (post count, last post time, version), both or
    /// neither. The store numbers the post (its id is ignored). A thread that is not the post's community's is
    /// refused with an <see cref="InvalidOperationException"/> and nothing is added.
    /// </summary>
    (Post Post, TeaThread Thread) Add(Post post);

    /// <summary>
    /// Saves <paramref name="post"/>, a change made to the version it carries: the saved post (its version one more),
    /// or null when the stored post has moved on since (read it again and redo the change).
    /// </summary>
    Post? TryUpdate(Post post);

    /// <summary>
    /// The thread's posts numbered after <paramref name="afterId"/>, oldest first, at most <paramref name="take"/>.
    /// </summary>
    IReadOnlyList<Post> After(string communityId, int threadId, int afterId, int take);

    /// <summary>
    /// The thread's posts numbered before <paramref name="beforeId"/>, newest first, at most <paramref name="take"/>
    /// (the latest page, or the one before it).
    /// </summary>
    IReadOnlyList<Post> Before(string communityId, int threadId, int beforeId, int take);

    /// <summary>The last post <paramref name="authorId"/> wrote in the thread.</summary>
    Post? LatestBy(string communityId, int threadId, string authorId);

    /// <summary>The community's posts that are flagged or hidden, newest first.</summary>
    IReadOnlyList<Post> ForReview(string communityId, int take);
}
