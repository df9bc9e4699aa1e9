using System.Data;
using Dapper;
using Linli.TeaTable;

namespace Linli.Storage.Postgres;

/// <summary>
/// The tea table's threads in PostgreSQL. A change is one conditional update (WHERE version = the version it was made
/// to), so two moderators, a timer and a new post in different instances never undo one another.
/// </summary>
public sealed class PgTeaThreadStore(PostgresDatabase db) : ITeaThreadStore
{
    internal const string Columns = "community_id, id, building, title, author_id, author_name, created_at, " +
        "last_post_at, post_count, pinned, locked, lock_reason, slow_mode_seconds, closed, conclusion, close_at, " +
        "reopen_at, proposal, followers, version";

    public TeaThread? Find(string communityId, int id) =>
        db.Run(c => c.QuerySingleOrDefault<TeaThread>(
            $"SELECT {Columns} FROM tea_threads WHERE community_id = @communityId AND id = @id",
            new { communityId, id }));

    public IReadOnlyList<TeaThread> List(string communityId, int? building, int skip, int take) =>
        db.Run(c => c.Query<TeaThread>($"""
            SELECT {Columns} FROM tea_threads
            WHERE community_id = @communityId AND (@building::int IS NULL OR building IS NULL OR building = @building)
            ORDER BY pinned DESC, closed, last_post_at DESC, id OFFSET @skip LIMIT @take
            """, new { communityId, building, skip, take }).AsList());

    public (TeaThread Thread, Post Opening) Create(TeaThread thread, Post opening) =>
        db.InTransaction((c, t) =>
        {
            var created = thread with
            {
                Id = c.ExecuteScalar<int>($"""
                    INSERT INTO tea_threads ({Columns}, vote_deadline, reminder_deadline)
                    VALUES (@CommunityId, nextval('tea_thread_ids'), @Building, @Title, @AuthorId, @AuthorName,
                        @CreatedAt, @LastPostAt, @PostCount, @Pinned, @Locked, @LockReason, @SlowModeSeconds, @Closed,
                        @Conclusion, @CloseAt, @ReopenAt, @Proposal, @Followers, @Version,
                        @VoteDeadline, @ReminderDeadline)
                    RETURNING id
                    """, Parameters(thread), t),
            };
            return (created, PgTeaPostStore.Insert(c, opening with { ThreadId = created.Id }, t));
        });

    public TeaThread? TryUpdate(TeaThread thread) =>
        db.Run(c => c.Execute("""
            UPDATE tea_threads SET building = @Building, title = @Title, author_id = @AuthorId,
                author_name = @AuthorName, created_at = @CreatedAt, last_post_at = @LastPostAt,
                post_count = @PostCount, pinned = @Pinned, locked = @Locked, lock_reason = @LockReason,
                slow_mode_seconds = @SlowModeSeconds, closed = @Closed, conclusion = @Conclusion,
                close_at = @CloseAt, reopen_at = @ReopenAt, proposal = @Proposal, followers = @Followers,
                version = @Version + 1, vote_deadline = @VoteDeadline, reminder_deadline = @ReminderDeadline
            WHERE community_id = @CommunityId AND id = @Id AND version = @Version
            """, Parameters(thread))) == 1
            ? thread with { Version = thread.Version + 1 }
            : null;

    public IReadOnlyList<TeaThread> Due(DateTimeOffset now) =>
        Everywhere("close_at <= @now OR reopen_at <= @now OR vote_deadline <= @now ORDER BY id", new { now });

    public IReadOnlyList<TeaThread> ReminderDue(DateTimeOffset now, TimeSpan window) =>
        Everywhere("reminder_deadline > @now AND reminder_deadline <= @until ORDER BY id",
            new { now, until = now + window });

    public IReadOnlyList<TeaThread> Followed(int afterId, int take) =>
        Everywhere("id > @afterId AND followers <> '[]'::jsonb ORDER BY id LIMIT @take", new { afterId, take });

    /// <summary>Threads of every community: for the clock and the digests.</summary>
    private List<TeaThread> Everywhere(string where, object parameters) =>
        db.Run(c => c.Query<TeaThread>($"SELECT {Columns} FROM tea_threads WHERE {where}", parameters).AsList());

    /// <summary>The thread's fields, and the proposal's deadlines the clock looks for while they are to come.</summary>
    private static DynamicParameters Parameters(TeaThread thread)
    {
        var parameters = new DynamicParameters(thread);
        var (vote, reminder) = Deadlines(thread);
        parameters.Add("VoteDeadline", vote);
        parameters.Add("ReminderDeadline", reminder);
        return parameters;
    }

    /// <summary>The proposal's deadline while its count is not final, and while its owners are not reminded.</summary>
    internal static (DateTimeOffset? Vote, DateTimeOffset? Reminder) Deadlines(TeaThread thread)
    {
        var open = thread.Proposal is { Final: null } proposal ? proposal : null;
        return (open?.Deadline, open is { ReminderSentAt: null } ? open.Deadline : null);
    }
}

/// <summary>
/// The tea table's posts in PostgreSQL. Adding a post counts it in its thread in the same transaction, by one update
/// of the thread's row: the row lock it takes lets posts land from any instance at once, each counted, and numbers
/// a thread's posts in the order they commit (a reader paging after a number misses none).
/// </summary>
public sealed class PgTeaPostStore(PostgresDatabase db) : ITeaPostStore
{
    private const string Columns = "community_id, thread_id, id, author_id, author_name, text, html, reply_to, " +
        "attachments, mentions, reactions, created_at, edited_at, hidden, flags, version";

    public Post? Find(string communityId, int id) =>
        db.Run(c => c.QuerySingleOrDefault<Post>(
            $"SELECT {Columns} FROM tea_posts WHERE community_id = @communityId AND id = @id",
            new { communityId, id }));

    public (Post Post, TeaThread Thread) Add(Post post) =>
        db.InTransaction((c, t) =>
        {
            var thread = c.QuerySingleOrDefault<TeaThread>($"""
                    UPDATE tea_threads SET post_count = post_count + 1, last_post_at = @CreatedAt,
                        version = version + 1
                    WHERE community_id = @CommunityId AND id = @ThreadId
                    RETURNING {PgTeaThreadStore.Columns}
                    """, new { post.CommunityId, post.ThreadId, post.CreatedAt }, t)
                ?? throw new InvalidOperationException($"No thread {post.ThreadId} in {post.CommunityId}.");
            return (Insert(c, post, t), thread);
        });

    /// <summary>Numbers and adds the post inside the caller's transaction (its id is ignored).</summary>
    internal static Post Insert(IDbConnection connection, Post post, IDbTransaction transaction) =>
        post with
        {
            Id = connection.ExecuteScalar<int>($"""
                INSERT INTO tea_posts ({Columns})
                VALUES (@CommunityId, @ThreadId, nextval('tea_post_ids'), @AuthorId, @AuthorName, @Text, @Html,
                    @ReplyTo, @Attachments, @Mentions, @Reactions, @CreatedAt, @EditedAt, @Hidden, @Flags, @Version)
                RETURNING id
                """, post, transaction),
        };

    public Post? TryUpdate(Post post) =>
        // A post stays in its thread: one named otherwise is not found, as one of another community is not.
        db.Run(c => c.Execute("""
            UPDATE tea_posts SET author_id = @AuthorId, author_name = @AuthorName, text = @Text, html = @Html,
                reply_to = @ReplyTo, attachments = @Attachments, mentions = @Mentions, reactions = @Reactions,
                created_at = @CreatedAt, edited_at = @EditedAt, hidden = @Hidden, flags = @Flags,
                version = @Version + 1
            WHERE community_id = @CommunityId AND thread_id = @ThreadId AND id = @Id AND version = @Version
            """, post)) == 1
            ? post with { Version = post.Version + 1 }
            : null;

    public IReadOnlyList<Post> After(string communityId, int threadId, int afterId, int take) =>
        Query("thread_id = @threadId AND id > @afterId ORDER BY id LIMIT @take",
            new { communityId, threadId, afterId, take });

    public IReadOnlyList<Post> Before(string communityId, int threadId, int beforeId, int take) =>
        Query("thread_id = @threadId AND id < @beforeId ORDER BY id DESC LIMIT @take",
            new { communityId, threadId, beforeId, take });

    public Post? LatestBy(string communityId, int threadId, string authorId) =>
        Query("author_id = @authorId AND thread_id = @threadId ORDER BY id DESC LIMIT 1",
            new { communityId, threadId, authorId }).FirstOrDefault();

    public IReadOnlyList<Post> ForReview(string communityId, int take) =>
        Query("(flags <> '[]'::jsonb OR hidden IS NOT NULL) ORDER BY id DESC LIMIT @take", new { communityId, take });

    /// <summary>The community's posts that match <paramref name="where"/>.</summary>
    private List<Post> Query(string where, object parameters) =>
        db.Run(c => c.Query<Post>(
            $"SELECT {Columns} FROM tea_posts WHERE community_id = @communityId AND {where}", parameters).AsList());
}
