using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.TeaTable;
using Linli.Tests.Support;
using static Linli.Tests.Storage.Contracts.TeaRecords;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ITeaThreadStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class TeaThreadStoreContract
{
    protected abstract ITeaThreadStore Store { get; }
    protected abstract ITeaPostStore Posts { get; }

    private TeaThread Create(TeaThread thread) => Store.Create(thread, Post(thread)).Thread;

    [Fact]
    public void ACreatedThreadAndItsOpeningPostAreFoundInTheirCommunityOnly()
    {
        var (thread, opening) = Store.Create(Thread("north"), Post(Thread("north")));

        Assert.True(thread.Id > 0);
        Assert.Equal(thread.Id, opening.ThreadId);
        AssertSame(thread, Store.Find("north", thread.Id));
        AssertSame(opening, Posts.Find("north", opening.Id));
        Assert.Null(Store.Find("south", thread.Id));
        Assert.Null(Posts.Find("south", opening.Id));
        Assert.Empty(Store.List("south", null, 0, 10));
    }

    [Fact]
    public void ThreadsAreNumberedByTheStoreEachAnew()
    {
        var first = Create(Thread("north") with { Id = 41 });
        var second = Create(Thread("south") with { Id = 41 });

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("north", Store.Find("north", first.Id)?.CommunityId);
        Assert.Equal("south", Store.Find("south", second.Id)?.CommunityId);
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var at = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero);
        var count = new Count(1234.56m, 3);
        var thread = Thread("north") with
        {
            Building = 3,
            Pinned = true,
            Locked = true,
            LockReason = "closed",
            SlowModeSeconds = 60,
            Closed = true,
            CreatedAt = at,
            LastPostAt = at.AddSeconds(1),
            PostCount = 7,
            Followers = ["p-alice", "p-bob"],
            Conclusion = new Conclusion("换 LED 灯", "物业客服", new DateOnly(2026, 12, 5), ["BX-20261102-0001"],
                "志愿者 王**", at.AddMinutes(5)),
            CloseAt = at.AddHours(1),
            ReopenAt = at.AddHours(2),
            Proposal = new Proposal
            {
                Text = "动用公维金 1.2 万元", Matter = Matter.UseFund, Deadline = at.AddDays(3),
                By = "李** · 3栋", ReminderSentAt = at.AddDays(2),
                Final = new Tally(
                    count, count, count, new Count(0m, 0), new Count(0.5m, 1), true, Outcome.Passed, false),
            },
        };
        var created = Create(thread);

        AssertSame(thread with { Id = created.Id }, Store.Find("north", created.Id));
    }

    [Fact]
    public void ListIsPinnedFirstThenOpenBeforeClosedThenTheMostRecentlyActiveAPageAtATime()
    {
        var quiet = Create(Thread("north", "quiet", minutes: 1));
        var lively = Create(Thread("north", "lively", minutes: 5));
        var closed = Create(Thread("north", "closed", minutes: 9) with { Closed = true });
        var pinned = Create(Thread("north", "pinned", minutes: 0) with { Pinned = true });
        Create(Thread("south", "elsewhere", minutes: 20));

        Assert.Equal([pinned.Id, lively.Id, quiet.Id, closed.Id], Store.List("north", null, 0, 10).Select(t => t.Id));
        Assert.Equal([lively.Id, quiet.Id], Store.List("north", null, 1, 2).Select(t => t.Id));
    }

    [Fact]
    public void AReaderOfABuildingSeesTheCommunitysThreadsAndThatBuildingsOnly()
    {
        var everyone = Create(Thread("north", "everyone", minutes: 3));
        var second = Create(Thread("north", "building 2", minutes: 2) with { Building = 2 });
        var fifth = Create(Thread("north", "building 5", minutes: 1) with { Building = 5 });

        Assert.Equal([everyone.Id, second.Id], Store.List("north", 2, 0, 10).Select(t => t.Id));
        Assert.Equal([everyone.Id, second.Id, fifth.Id], Store.List("north", null, 0, 10).Select(t => t.Id));
    }

    [Fact]
    public void AChangeIsSavedAgainstTheVersionItWasMadeTo()
    {
        var read = Create(Thread("north"));

        var saved = Store.TryUpdate(read with { Pinned = true });
        Assert.Equal(read.Version + 1, saved?.Version);
        // A second change made to the same, now older, version is refused and changes nothing.
        Assert.Null(Store.TryUpdate(read with { Locked = true }));
        var stored = Store.Find("north", read.Id)!;
        Assert.True(stored.Pinned);
        Assert.False(stored.Locked);
        Assert.Equal(saved!.Version, stored.Version);
        // Nor may a thread move to another community.
        Assert.Null(Store.TryUpdate(stored with { CommunityId = "south" }));
        Assert.Null(Store.Find("south", read.Id));
    }

    [Fact]
    public void OfChangesMadeToOneVersionAtTheSameMomentOneIsSaved()
    {
        var read = Create(Thread("north"));

        var saved = new TeaThread?[10];
        Parallel.For(0, saved.Length, i => saved[i] = Store.TryUpdate(read with { SlowModeSeconds = i + 1 }));

        var winner = Assert.Single(saved, t => t is not null)!;
        AssertSame(winner, Store.Find("north", read.Id));
    }

    [Fact]
    public void TheClockFindsThreadsWhoseTimersAreDueInEveryCommunity()
    {
        var now = Noon.AddDays(1);
        var closing = Create(Thread("north", "closing") with { CloseAt = now.AddMinutes(-1) });
        var reopening = Create(Thread("south", "reopening") with { ReopenAt = now });
        var deadline = Create(Thread("north", "deadline") with { Proposal = Proposal(now.AddSeconds(-1)) });
        Create(Thread("north", "final") with { Proposal = Proposal(now.AddDays(-1)) with { Final = NoVotes } });
        Create(Thread("north", "later") with
        {
            CloseAt = now.AddMinutes(1),
            ReopenAt = now.AddHours(1),
            Proposal = Proposal(now.AddDays(1)),
        });
        Create(Thread("north", "no timers"));

        Assert.Equal([closing.Id, reopening.Id, deadline.Id], Store.Due(now).Select(t => t.Id).Order());
    }

    [Fact]
    public void TheClockFindsOpenProposalsNearTheirDeadlineNotYetReminded()
    {
        var now = Noon.AddDays(1);
        var window = TimeSpan.FromHours(24);
        var near = Create(Thread("north", "near") with { Proposal = Proposal(now.AddHours(23)) });
        var edge = Create(Thread("south", "edge") with { Proposal = Proposal(now + window) });
        Create(Thread("north", "far") with { Proposal = Proposal(now.AddHours(25)) });
        Create(Thread("north", "past") with { Proposal = Proposal(now) });
        Create(Thread("north", "reminded") with { Proposal = Proposal(now.AddHours(2)) with { ReminderSentAt = now } });
        Create(Thread("north", "final") with { Proposal = Proposal(now.AddHours(2)) with { Final = NoVotes } });
        Create(Thread("north", "no proposal"));

        Assert.Equal([near.Id, edge.Id], Store.ReminderDue(now, window).Select(t => t.Id).Order());
    }

    [Fact]
    public void FollowedThreadsComeInBatchesByNumber()
    {
        var ids = Enumerable.Range(0, 5)
            .Select(i => Create(Thread(i % 2 == 0 ? "north" : "south", $"t{i}")).Id)
            .ToList();
        Create(Thread("north", "nobody follows") with { Followers = [] });

        var first = Store.Followed(0, 3);
        Assert.Equal(ids.Take(3), first.Select(t => t.Id));
        Assert.Equal(ids.Skip(3), Store.Followed(first[^1].Id, 3).Select(t => t.Id));
        Assert.Empty(Store.Followed(ids[^1], 3));
    }

    private static readonly Tally NoVotes = new(new Count(100m, 2), new Count(0m, 0), new Count(0m, 0),
        new Count(0m, 0), new Count(0m, 0), false, Outcome.NoQuorum, false);

    private static Proposal Proposal(DateTimeOffset deadline) => new()
    {
        Text = "加装扶手", Matter = Matter.UseFund, Deadline = deadline, By = "李** · 3栋",
    };
}

public sealed class LiteTeaThreadStoreTests : TeaThreadStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");
    private readonly LiteTeaThreadStore _store;

    public LiteTeaThreadStoreTests() => _store = new LiteTeaThreadStore(_db);

    protected override ITeaThreadStore Store => _store;
    protected override ITeaPostStore Posts => _store;

    public void Dispose() => _db.Dispose();
}

public sealed class PgTeaThreadStoreTests : TeaThreadStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITeaThreadStore Store => field ??= new PgTeaThreadStore(_postgres.Db);
    protected override ITeaPostStore Posts => field ??= new PgTeaPostStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
