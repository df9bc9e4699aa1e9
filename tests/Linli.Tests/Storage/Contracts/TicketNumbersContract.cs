using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Linli.TeaTable;
using Linli.Tickets;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ITicketNumbers"/> must answer; each implementation runs these by deriving.</summary>
public abstract class TicketNumbersContract
{
    protected abstract ITicketNumbers Numbers { get; }

    /// <summary>Files a ticket of the community under the number, however the implementation keeps tickets.</summary>
    protected abstract void File(string communityId, string number);

    [Fact]
    public void ANumberExistsInItsOwnCommunityOnly()
    {
        File("north", "BX-20261102-0001");
        File("south", "BX-20261102-0002");

        Assert.True(Numbers.Exists("north", "BX-20261102-0001"));
        Assert.False(Numbers.Exists("north", "BX-20261102-0002"));
        Assert.False(Numbers.Exists("north", "BX-20261102-0003"));
        Assert.True(Numbers.Exists("south", "BX-20261102-0002"));
    }
}

/// <summary>The tickets' answer, over the LiteDB ticket store.</summary>
public sealed class TicketNumbersOnLiteTicketStoreTests : TicketNumbersContract, IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public TicketNumbersOnLiteTicketStoreTests() => Numbers = new TicketNumbers(new LiteTicketStore(_db));

    protected override ITicketNumbers Numbers { get; }

    protected override void File(string communityId, string number) => _db.Tickets.Insert(new Ticket
    {
        Id = number, Number = number, Kind = "repair_request", CommunityId = communityId,
        Reporter = new TicketReporter("directline", "u-1", "c-1", null), CreatedAt = Noon,
        RespondBy = Noon.AddHours(1), ResolveBy = Noon.AddDays(1), SourceKey = "test:" + number,
    });

    public void Dispose() => _db.Dispose();
}

/// <summary>The tickets' answer, over the PostgreSQL ticket store (which numbers them).</summary>
public sealed class TicketNumbersOnPgTicketStoreTests : TicketNumbersContract, IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);
    private readonly TestPostgresDatabase _postgres = new();

    private PgTicketStore Tickets => field ??= new PgTicketStore(_postgres.Db);

    protected override ITicketNumbers Numbers => new TicketNumbers(Tickets);

    protected override void File(string communityId, string number)
    {
        var opened = Tickets.Open(new Ticket
        {
            Id = number, Number = "", Kind = "repair_request", CommunityId = communityId,
            Reporter = new TicketReporter("directline", "u-1", "c-1", null), CreatedAt = Noon,
            RespondBy = Noon.AddHours(1), ResolveBy = Noon.AddDays(1), SourceKey = "test:" + number,
        }, number[..^4]).Ticket;
        Assert.Equal(number, opened.Number);
    }

    public void Dispose() => _postgres.Dispose();
}
