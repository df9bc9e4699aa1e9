using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Linli.Tickets;

namespace Linli.Tests.Storage.Contracts;

/// <summary>
/// What every <see cref="ITicketStore"/> must do with duty rosters and the round robin's place. Each implementation
/// runs these by deriving.
/// </summary>
public abstract class DutyRosterStoreContract
{
    protected abstract ITicketStore Store { get; }

    [Fact]
    public void ARosterIsEachCommunitysAndKeepsTheRoundRobinsPlace()
    {
        Assert.Null(Store.FindRoster("north"));
        Store.SaveRoster("north", ["p1", "p2"]);
        Store.SaveRoster("south", ["s1"]);
        Assert.True(Store.TryMoveRoundRobin("north", null, "p1"));

        Store.SaveRoster("north", ["p2", "p1", "p3"]);
        var north = Store.FindRoster("north")!;
        Assert.Equal(["p2", "p1", "p3"], north.PersonIds);
        Assert.Equal("p1", north.LastRoundRobin);
        var south = Store.FindRoster("south")!;
        Assert.Equal(["s1"], south.PersonIds);
        Assert.Null(south.LastRoundRobin);
    }

    [Fact]
    public async Task TheRoundRobinMovesOnlyFromWhereItWasExpected()
    {
        // Before any roster is set, its place is kept all the same (the roster stays empty: none set).
        Assert.True(Store.TryMoveRoundRobin("north", null, "p1"));
        var kept = Store.FindRoster("north")!;
        Assert.Equal(("p1", 0), (kept.LastRoundRobin, kept.PersonIds.Count));
        Assert.False(Store.TryMoveRoundRobin("north", null, "p2"));
        Assert.False(Store.TryMoveRoundRobin("north", "p2", "p3"));
        Assert.True(Store.TryMoveRoundRobin("north", "p1", "p2"));
        Assert.Null(Store.FindRoster("south"));

        using var start = new Barrier(2);
        var moves = await Task.WhenAll(new[] { "p3", "p4" }.Select(next => Task.Run(() =>
        {
            start.SignalAndWait();
            return Store.TryMoveRoundRobin("north", "p2", next);
        })));
        Assert.Single(moves, moved => moved);
        Assert.Contains(Store.FindRoster("north")!.LastRoundRobin, new[] { "p3", "p4" });
    }
}

public sealed class LiteDutyRosterStoreTests : DutyRosterStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteDutyRosterStoreTests() => Store = new LiteTicketStore(_db);

    protected override ITicketStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgDutyRosterStoreTests : DutyRosterStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITicketStore Store => field ??= new PgTicketStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
