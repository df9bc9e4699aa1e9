using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.TeaTable;
using Linli.Tests.Support;
using static Linli.Tests.Storage.Contracts.TeaRecords;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ITeaDigestStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class TeaDigestStoreContract
{
    protected abstract ITeaThreadStore Threads { get; }
    protected abstract ITeaDigestStore Store { get; }

    private TeaThread Start(string community = "north") =>
        Threads.Create(Thread(community), Post(Thread(community))).Thread;

    private static DigestMark Mark(TeaThread thread, string person, int lastPostId, DateTimeOffset? sentAt = null) =>
        new() { Id = DigestMark.IdFor(thread.Id, person), LastPostId = lastPostId, SentAt = sentAt };

    [Fact]
    public void AThreadsMarksAreReadByFollowerInItsCommunityOnly()
    {
        var thread = Start();
        var other = Start();
        var sent = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero);
        Store.Save("north", thread.Id, "p-alice", Mark(thread, "p-alice", 3, sent));
        Store.Save("north", thread.Id, "p-bob", Mark(thread, "p-bob", 5));
        Store.Save("north", other.Id, "p-alice", Mark(other, "p-alice", 9));

        var marks = Store.Marks("north", thread.Id);
        Assert.Equal(["p-alice", "p-bob"], marks.Keys.Order());
        Assert.Equal(Mark(thread, "p-alice", 3, sent), marks["p-alice"]);
        Assert.Equal(9, Store.Marks("north", other.Id)["p-alice"].LastPostId);
        Assert.Empty(Store.Marks("south", thread.Id));
    }

    [Fact]
    public void SavingAgainReplacesTheMark()
    {
        var thread = Start();
        Store.Save("north", thread.Id, "p-alice", Mark(thread, "p-alice", 3));
        Store.Save("north", thread.Id, "p-alice", Mark(thread, "p-alice", 8, Noon));

        Assert.Equal(Mark(thread, "p-alice", 8, Noon), Assert.Single(Store.Marks("north", thread.Id)).Value);
    }

    [Fact]
    public void AMarkOnAnotherCommunitysThreadIsRefused()
    {
        var thread = Start();

        Assert.Throws<InvalidOperationException>(() =>
            Store.Save("south", thread.Id, "p-alice", Mark(thread, "p-alice", 3)));
        Assert.Empty(Store.Marks("north", thread.Id));
    }
}

public sealed class LiteTeaDigestStoreTests : TeaDigestStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteTeaDigestStoreTests()
    {
        Threads = new LiteTeaThreadStore(_db);
        Store = new LiteTeaDigestStore(_db);
    }

    protected override ITeaThreadStore Threads { get; }
    protected override ITeaDigestStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgTeaDigestStoreTests : TeaDigestStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITeaThreadStore Threads => field ??= new PgTeaThreadStore(_postgres.Db);
    protected override ITeaDigestStore Store => field ??= new PgTeaDigestStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
