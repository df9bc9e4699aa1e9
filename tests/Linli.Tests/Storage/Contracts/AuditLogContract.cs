using Linli.Accounts;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IAuditLog"/> must do; each implementation runs these by deriving.</summary>
public abstract class AuditLogContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    protected abstract IAuditLog Store { get; }

    private static AuditEntry NewEntry(string community, string id, int minutes, string action = "ticket.update") =>
        new()
        {
            Id = id, At = Noon.AddMinutes(minutes), CommunityId = community, PersonId = "staff-1", Name = "王芳",
            Action = action, Target = "BX-20261102-0001",
        };

    [Fact]
    public void EntriesComeNewestFirstAPageAtATimeAndOnlyTheCommunitys()
    {
        var entries = Enumerable.Range(0, 5).Select(i => NewEntry("north", $"e{i}", i, $"action.{i}")).ToList();
        foreach (var entry in entries.OrderBy(_ => Random.Shared.Next())) Store.Append(entry);
        Store.Append(NewEntry("south", "s1", 10));

        Assert.Equal(["action.4", "action.3", "action.2", "action.1", "action.0"],
            Store.Latest("north", 0, 100).Select(e => e.Action));
        Assert.Equal(["action.2", "action.1"], Store.Latest("north", 2, 2).Select(e => e.Action));
        Assert.Empty(Store.Latest("north", 5, 10));
        Assert.Equal(["s1"], Store.Latest("south", 0, 10).Select(e => e.Id));
    }

    [Fact]
    public void EntriesOfOneInstantComeGreatestIdFirst()
    {
        foreach (var id in new[] { "0002", "0003", "0001" }) Store.Append(NewEntry("north", id, 0));
        Assert.Equal(["0003", "0002", "0001"], Store.Latest("north", 0, 10).Select(e => e.Id));
    }

    [Fact]
    public void AppendingAnEntryAgainChangesNothing()
    {
        Store.Append(NewEntry("north", "e1", 0));
        Store.Append(NewEntry("north", "e1", 0, "something.else"));

        Assert.Equal("ticket.update", Assert.Single(Store.Latest("north", 0, 10)).Action);
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var entry = NewEntry("north", "e1", 0) with
        {
            At = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero),
            Detail = "status InProgress; 转派 李师傅",
        };
        Store.Append(entry);
        Assert.Equal(entry, Assert.Single(Store.Latest("north", 0, 1)));
    }
}

public sealed class LiteAuditLogTests : AuditLogContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteAuditLogTests() => Store = new LiteAuditLog(_db);

    protected override IAuditLog Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgAuditLogTests : AuditLogContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IAuditLog Store => field ??= new PgAuditLog(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
