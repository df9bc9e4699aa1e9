using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.TeaTable;
using Linli.Tests.Support;
using static Linli.Tests.Storage.Contracts.TeaRecords;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ITeaVoteStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class TeaVoteStoreContract
{
    protected abstract ITeaThreadStore Threads { get; }
    protected abstract ITeaVoteStore Store { get; }

    private TeaThread Start(string community = "north") =>
        Threads.Create(Thread(community), Post(Thread(community))).Thread;

    private static List<VoteRecord> Vote(TeaThread thread, string person, Stance stance, int minutes,
        params string[] units) =>
        units.Select(unit => new VoteRecord
        {
            Id = VoteRecord.IdFor(thread.Id, unit), ThreadId = thread.Id, UnitId = unit, PersonId = person,
            Stance = stance, At = Noon.AddMinutes(minutes),
        }).ToList();

    [Fact]
    public void VotesAreReadEarliestFirstInTheirCommunityOnly()
    {
        var thread = Start();
        Store.Cast("north", thread.Id, Vote(thread, "p-bob", Stance.Disagree, 5, "u-0502"));
        Store.Cast("north", thread.Id, Vote(thread, "p-alice", Stance.Agree, 1, "u-0301"));

        Assert.Equal(["u-0301", "u-0502"], Store.For("north", thread.Id).Select(v => v.UnitId));
        Assert.True(Store.Any("north", thread.Id));
        Assert.Equal(Stance.Disagree, Store.StanceOf("north", thread.Id, "p-bob"));
        Assert.Null(Store.StanceOf("north", thread.Id, "p-carol"));
        Assert.Empty(Store.For("south", thread.Id));
        Assert.False(Store.Any("south", thread.Id));
        Assert.Null(Store.StanceOf("south", thread.Id, "p-bob"));
        Assert.False(Store.Any("north", Start().Id));
    }

    [Fact]
    public void VotingAgainReplacesTheUnitsVoteAndARetryChangesNothing()
    {
        var thread = Start();
        Store.Cast("north", thread.Id, Vote(thread, "p-alice", Stance.Agree, 1, "u-0301", "u-0302"));
        var again = Vote(thread, "p-alice", Stance.Abstain, 2, "u-0301", "u-0302");
        Store.Cast("north", thread.Id, again);
        Store.Cast("north", thread.Id, again);

        var votes = Store.For("north", thread.Id);
        Assert.Equal(2, votes.Count);
        Assert.All(votes, v => Assert.Equal(Stance.Abstain, v.Stance));
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var thread = Start();
        var vote = Vote(thread, "p-alice", Stance.Agree, 0, "u-0301")[0] with
        {
            Reason = "老人多，需要扶手",
            At = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero),
        };
        Store.Cast("north", thread.Id, [vote]);

        Assert.Equal(vote, Assert.Single(Store.For("north", thread.Id)));
    }

    [Fact]
    public void TwoVotesOfOneOwnerAtTheSameMomentEndAsOneOfThemForAllTheirUnits()
    {
        string[] units = ["u-0101", "u-0102", "u-0201", "u-0202", "u-0301", "u-0302"];
        for (var round = 0; round < 20; round++)
        {
            var thread = Start();
            Parallel.Invoke(
                () => Store.Cast("north", thread.Id, Vote(thread, "p-alice", Stance.Agree, 1, units)),
                () => Store.Cast("north", thread.Id, Vote(thread, "p-alice", Stance.Disagree, 1, units)));

            var votes = Store.For("north", thread.Id);
            Assert.Equal(units.Length, votes.Count);
            Assert.Single(votes.Select(v => v.Stance).Distinct());
        }
    }

    [Fact]
    public void OwnersVotingAtTheSameMomentAreAllCounted()
    {
        var thread = Start();

        Parallel.For(0, 30, i =>
            Store.Cast("north", thread.Id, Vote(thread, $"p-{i}", (Stance)(i % 3), i, $"u-{i:D2}01", $"u-{i:D2}02")));

        var votes = Store.For("north", thread.Id);
        Assert.Equal(60, votes.Select(v => v.UnitId).Distinct().Count());
        Assert.Equal(20, votes.Count(v => v.Stance == Stance.Agree));
    }

    [Fact]
    public void AVoteOnAnotherCommunitysThreadIsRefusedAndNothingLands()
    {
        var thread = Start();

        Assert.Throws<InvalidOperationException>(() =>
            Store.Cast("south", thread.Id, Vote(thread, "p-alice", Stance.Agree, 1, "u-0301")));

        Assert.Empty(Store.For("north", thread.Id));
    }
}

public sealed class LiteTeaVoteStoreTests : TeaVoteStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteTeaVoteStoreTests()
    {
        Threads = new LiteTeaThreadStore(_db);
        Store = new LiteTeaVoteStore(_db);
    }

    protected override ITeaThreadStore Threads { get; }
    protected override ITeaVoteStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgTeaVoteStoreTests : TeaVoteStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    // Each test starts a thread on its own thread first: the database is made (or the test skipped) there.
    protected override ITeaThreadStore Threads => field ??= new PgTeaThreadStore(_postgres.Db);
    protected override ITeaVoteStore Store => field ??= new PgTeaVoteStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
