using Linli.TeaTable;

namespace Linli.Storage.LiteDb;

/// <summary>
/// The tea table's threads and posts in LiteDB. One class for both, so that a thread's version check and the count
/// a new post adds to it are made under one lock: LiteDB's file belongs to one process, and a transaction alone
/// does not stop two writers from reading the same version first.
/// </summary>
public sealed class LiteTeaThreadStore(LinliDatabase db) : ITeaThreadStore, ITeaPostStore
{
    private readonly Lock _writes = new();

    TeaThread? ITeaThreadStore.Find(string communityId, int id) =>
        db.TeaThreads.FindById(id) is { } thread && thread.CommunityId == communityId ? thread : null;

    // LiteDB orders by one key only: the community's threads are sorted here (a SQL store orders them in the query).
    public IReadOnlyList<TeaThread> List(string communityId, int? building, int skip, int take) =>
        db.TeaThreads.Find(t => t.CommunityId == communityId)
            .Where(t => building is null || t.Building is null || t.Building == building)
            .OrderByDescending(t => t.Pinned).ThenBy(t => t.Closed).ThenByDescending(t => t.LastPostAt)
            .Skip(skip).Take(take)
            .ToList();

    public (TeaThread Thread, Post Opening) Create(TeaThread thread, Post opening)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                var created = thread with { Id = db.TeaThreads.Insert(thread with { Id = 0 }).AsInt32 };
                var first = opening with { Id = 0, ThreadId = created.Id };
                return (created, first with { Id = db.TeaPosts.Insert(first).AsInt32 });
            });
    }

    public TeaThread? TryUpdate(TeaThread thread)
    {
        lock (_writes)
        {
            if (db.TeaThreads.FindById(thread.Id) is not { } stored
                || stored.CommunityId != thread.CommunityId || stored.Version != thread.Version)
                return null;
            var saved = thread with { Version = thread.Version + 1 };
            db.TeaThreads.Update(saved);
            return saved;
        }
    }

    public IReadOnlyList<TeaThread> Due(DateTimeOffset now) =>
        db.TeaThreads.Query()
            // LiteDB orders null before every time: a missing time must be excluded, not compared.
            .Where(t => (t.CloseAt != null && t.CloseAt <= now) || (t.ReopenAt != null && t.ReopenAt <= now)
                || (t.Proposal != null && t.Proposal.Final == null && t.Proposal.Deadline <= now))
            .OrderBy(t => t.Id)
            .ToList();

    public IReadOnlyList<TeaThread> ReminderDue(DateTimeOffset now, TimeSpan window)
    {
        var until = now + window;
        return db.TeaThreads.Query()
            .Where(t => t.Proposal != null && t.Proposal.Final == null && t.Proposal.ReminderSentAt == null
                && t.Proposal.Deadline > now && t.Proposal.Deadline <= until)
            .OrderBy(t => t.Id)
            .ToList();
    }

    public IReadOnlyList<TeaThread> Followed(int afterId, int take) =>
        db.TeaThreads.Query()
            .Where(t => t.Id > afterId)
            .OrderBy(t => t.Id)
            .ToEnumerable()
            .Where(t => t.Followers.Count > 0)
            .Take(take)
            .ToList();

    Post? ITeaPostStore.Find(string communityId, int id) =>
        db.TeaPosts.FindById(id) is { } post && post.CommunityId == communityId ? post : null;

    public (Post Post, TeaThread Thread) Add(Post post)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                if (db.TeaThreads.FindById(post.ThreadId) is not { } thread || thread.CommunityId != post.CommunityId)
                    throw new InvalidOperationException($"No thread {post.ThreadId} in {post.CommunityId}.");
                var added = post with { Id = db.TeaPosts.Insert(post with { Id = 0 }).AsInt32 };
                var counted = thread with
                {
                    LastPostAt = post.CreatedAt,
                    PostCount = thread.PostCount + 1,
                    Version = thread.Version + 1,
                };
                db.TeaThreads.Update(counted);
                return (added, counted);
            });
    }

    public Post? TryUpdate(Post post)
    {
        lock (_writes)
        {
            if (db.TeaPosts.FindById(post.Id) is not { } stored
                || stored.CommunityId != post.CommunityId || stored.Version != post.Version)
                return null;
            var saved = post with { Version = post.Version + 1 };
            db.TeaPosts.Update(saved);
            return saved;
        }
    }

    public IReadOnlyList<Post> After(string communityId, int threadId, int afterId, int take) =>
        db.TeaPosts.Query()
            .Where(p => p.ThreadId == threadId && p.CommunityId == communityId && p.Id > afterId)
            .OrderBy(p => p.Id)
            .Limit(take)
            .ToList();

    public IReadOnlyList<Post> Before(string communityId, int threadId, int beforeId, int take) =>
        db.TeaPosts.Query()
            .Where(p => p.ThreadId == threadId && p.CommunityId == communityId && p.Id < beforeId)
            .OrderByDescending(p => p.Id)
            .Limit(take)
            .ToList();

    public Post? LatestBy(string communityId, int threadId, string authorId) =>
        db.TeaPosts.Query()
            .Where(p => p.ThreadId == threadId && p.CommunityId == communityId && p.AuthorId == authorId)
            .OrderByDescending(p => p.Id)
            .FirstOrDefault();

    public IReadOnlyList<Post> ForReview(string communityId, int take) =>
        db.TeaPosts.Query()
            .Where(p => p.CommunityId == communityId)
            .OrderByDescending(p => p.Id)
            .ToEnumerable()
            .Where(p => p.Flags.Count > 0 || p.Hidden != null)
            .Take(take)
            .ToList();
}
