using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.TeaTable;
using Linli.Tests.Support;
using static Linli.Tests.Storage.Contracts.TeaRecords;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ITeaPostStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class TeaPostStoreContract
{
    protected abstract ITeaThreadStore Threads { get; }
    protected abstract ITeaPostStore Store { get; }

    private (TeaThread Thread, Post Opening) Start(string community = "north") =>
        Threads.Create(Thread(community), Post(Thread(community), "开帖"));

    private List<Post> Reply(TeaThread thread, int count, string author = "p-bob") =>
        Enumerable.Range(1, count).Select(i => Store.Add(Post(thread, $"第{i}条", author, minutes: i)).Post).ToList();

    [Fact]
    public void AnAddedPostIsCountedInItsThreadTogether()
    {
        var (thread, _) = Start();
        var reply = Post(thread, "同意", "p-bob", minutes: 7);

        var (post, counted) = Store.Add(reply with { Id = 999 });

        Assert.NotEqual(999, post.Id);
        AssertSame(reply with { Id = post.Id }, Store.Find("north", post.Id));
        Assert.Equal(
            (2, reply.CreatedAt, thread.Version + 1), (counted.PostCount, counted.LastPostAt, counted.Version));
        AssertSame(counted, Threads.Find("north", thread.Id));
        // A change to the thread made before the post counted is refused: it would undo the count.
        Assert.Null(Threads.TryUpdate(thread with { Pinned = true }));
    }

    [Fact]
    public void PostsAddedAtTheSameMomentAreAllCounted()
    {
        var (thread, opening) = Start();

        Parallel.For(0, 20, i => Store.Add(Post(thread, $"第{i}条", $"p-{i}", minutes: i)));

        Assert.Equal(21, Threads.Find("north", thread.Id)!.PostCount);
        Assert.Equal(20, Store.After("north", thread.Id, opening.Id, 100).Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void APostForAnotherCommunitysThreadIsRefusedAndNothingLands()
    {
        var (thread, opening) = Start();

        Assert.Throws<InvalidOperationException>(() => Store.Add(Post(thread) with { CommunityId = "south" }));
        Assert.Throws<InvalidOperationException>(() => Store.Add(Post(thread) with { ThreadId = thread.Id + 100 }));

        Assert.Equal([opening.Id], Store.After("north", thread.Id, 0, 10).Select(p => p.Id));
        Assert.Empty(Store.After("south", thread.Id, 0, 10));
        Assert.Equal(1, Threads.Find("north", thread.Id)!.PostCount);
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var (thread, opening) = Start();
        var at = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero);
        var post = Post(thread, "**东侧** @王师傅") with
        {
            ReplyTo = opening.Id,
            Attachments = ["0123456789abcdef0123456789abcdef"],
            Mentions = ["p-wang"],
            Reactions = new() { ["👍"] = ["p-alice", "p-carol"], ["🙏"] = ["p-dan"] },
            CreatedAt = at,
            EditedAt = at.AddMinutes(3),
            Hidden = new Hidden("志愿者 王**", "人身攻击", at.AddMinutes(4)),
            Flags =
            [
                new Flag("p-alice", "不文明", at.AddMinutes(1)),
                new Flag("p-carol", "广告", at.AddMinutes(2)),
            ],
        };
        var added = Store.Add(post).Post;

        AssertSame(post with { Id = added.Id }, Store.Find("north", added.Id));
    }

    [Fact]
    public void ReactionsKeepTheOrderTheirEmojiWereFirstUsedIn()
    {
        var (_, opening) = Start();
        // Not in code-point order, nor in order of length.
        var reacted = opening with
        {
            Reactions = new() { ["🙏"] = ["p-dan"], ["👍"] = ["p-bob"], ["🎉🎉"] = ["p-x"] },
        };

        Store.TryUpdate(reacted);

        Assert.Equal(["🙏", "👍", "🎉🎉"], Store.Find("north", opening.Id)!.Reactions.Keys);
    }

    [Fact]
    public void OfChangesMadeToOneVersionAtTheSameMomentOneIsSaved()
    {
        var (_, opening) = Start();

        var saved = new Post?[10];
        Parallel.For(0, saved.Length, i =>
            saved[i] = Store.TryUpdate(opening with { Reactions = new() { ["👍"] = [$"p-{i}"] } }));

        var winner = Assert.Single(saved, p => p is not null)!;
        AssertSame(winner, Store.Find("north", opening.Id));
    }

    [Fact]
    public void AChangeIsSavedAgainstTheVersionItWasMadeTo()
    {
        var (_, opening) = Start();

        var saved = Store.TryUpdate(opening with { Reactions = new() { ["👍"] = ["p-bob"] } });
        Assert.Equal(opening.Version + 1, saved?.Version);
        Assert.Null(Store.TryUpdate(opening with { Flags = [new Flag("p-carol", "广告", Noon)] }));
        var stored = Store.Find("north", opening.Id)!;
        Assert.Equal(["p-bob"], stored.Reactions["👍"]);
        Assert.Empty(stored.Flags);
        Assert.Null(Store.TryUpdate(stored with { CommunityId = "south" }));
    }

    [Fact]
    public void PagesGoForwardFromAPostOrBackFromOneInTheirCommunityOnly()
    {
        var (thread, opening) = Start();
        var replies = Reply(thread, 5);
        var ids = replies.Select(p => p.Id).ToList();

        Assert.Equal(ids.Take(2), Store.After("north", thread.Id, opening.Id, 2).Select(p => p.Id));
        Assert.Equal(ids.Skip(3), Store.After("north", thread.Id, ids[2], 10).Select(p => p.Id));
        Assert.Equal([ids[4], ids[3]], Store.Before("north", thread.Id, int.MaxValue, 2).Select(p => p.Id));
        Assert.Equal([ids[0], opening.Id], Store.Before("north", thread.Id, ids[1], 10).Select(p => p.Id));
        Assert.Empty(Store.After("south", thread.Id, 0, 10));
        Assert.Empty(Store.Before("south", thread.Id, int.MaxValue, 10));

        var (other, _) = Start();
        Reply(other, 2);
        Assert.Equal(6, Store.After("north", thread.Id, 0, 100).Count);
    }

    [Fact]
    public void TheLatestPostOfAnAuthorInAThread()
    {
        var (thread, _) = Start();
        var bobs = Reply(thread, 3);
        Reply(thread, 1, "p-carol");
        var (other, _) = Start();
        Reply(other, 1);

        Assert.Equal(bobs[^1].Id, Store.LatestBy("north", thread.Id, "p-bob")?.Id);
        Assert.Null(Store.LatestBy("north", thread.Id, "p-dan"));
        Assert.Null(Store.LatestBy("south", thread.Id, "p-bob"));
    }

    [Fact]
    public void TheReviewQueueIsTheCommunitysFlaggedAndHiddenPostsNewestFirst()
    {
        var (thread, _) = Start();
        var replies = Reply(thread, 4);
        var flagged = Store.TryUpdate(replies[0] with { Flags = [new Flag("p-alice", "不文明", Noon)] })!;
        var hidden = Store.TryUpdate(replies[2] with { Hidden = new Hidden("志愿者", "广告", Noon) })!;
        var (south, _) = Start("south");
        var elsewhere = Store.Add(Post(south, "别处")).Post;
        Store.TryUpdate(elsewhere with { Flags = [new Flag("p-x", "广告", Noon)] });

        Assert.Equal([hidden.Id, flagged.Id], Store.ForReview("north", 10).Select(p => p.Id));
        Assert.Equal([hidden.Id], Store.ForReview("north", 1).Select(p => p.Id));
    }
}

public sealed class LiteTeaPostStoreTests : TeaPostStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");
    private readonly LiteTeaThreadStore _store;

    public LiteTeaPostStoreTests() => _store = new LiteTeaThreadStore(_db);

    protected override ITeaThreadStore Threads => _store;
    protected override ITeaPostStore Store => _store;

    public void Dispose() => _db.Dispose();
}

public sealed class PgTeaPostStoreTests : TeaPostStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    // Each test starts a thread on its own thread first: the database is made (or the test skipped) there.
    protected override ITeaThreadStore Threads => field ??= new PgTeaThreadStore(_postgres.Db);
    protected override ITeaPostStore Store => field ??= new PgTeaPostStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
