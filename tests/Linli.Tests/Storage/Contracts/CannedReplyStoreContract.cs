using Linli.StaffConsole;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ICannedReplyStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class CannedReplyStoreContract
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 4, 5, 6, 789, TimeSpan.Zero);

    protected abstract ICannedReplyStore Store { get; }

    [Fact]
    public void EachCommunityHasItsOwnAndEveryFieldRoundTrips()
    {
        var north = new CannedReplies
        {
            Id = "north", Items = ["收到", "马上到"], UpdatedAt = At, UpdatedBy = "王经理",
        };
        Store.Save(north);

        Assert.Equivalent(north, Store.Find("north"), strict: true);
        Assert.Null(Store.Find("south"));
    }

    [Fact]
    public void SavingAgainReplacesTheCommunitysReplies()
    {
        Store.Save(new CannedReplies { Id = "north", Items = ["收到", "马上到"], UpdatedAt = At });
        Store.Save(new CannedReplies { Id = "north", Items = ["好的"], UpdatedAt = At.AddMinutes(1) });
        Store.Save(new CannedReplies { Id = "south", Items = [], UpdatedAt = At });

        Assert.Equal(["好的"], Store.Find("north")!.Items);
        Assert.Equal(At.AddMinutes(1), Store.Find("north")!.UpdatedAt);
        Assert.Empty(Store.Find("south")!.Items);
    }
}

public sealed class LiteCannedReplyStoreTests : CannedReplyStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteCannedReplyStoreTests() => Store = new LiteCannedReplyStore(_db);

    protected override ICannedReplyStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgCannedReplyStoreTests : CannedReplyStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ICannedReplyStore Store => field ??= new PgCannedReplyStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
