using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.TeaTable;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ITeaMuteStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class TeaMuteStoreContract
{
    protected abstract ITeaMuteStore Store { get; }

    private static Mute NewMute(string community, string person, string reason = "屡次人身攻击") => new()
    {
        Id = Mute.IdFor(community, person),
        Until = new DateTimeOffset(2026, 11, 2, 5, 0, 0, 123, TimeSpan.Zero),
        Reason = reason,
        By = "志愿者 王**",
    };

    [Fact]
    public void AMuteIsFoundInItsCommunityOnlyAndEveryFieldRoundTrips()
    {
        var mute = NewMute("north", "p-bob");
        Store.Save("north", "p-bob", mute);

        Assert.Equal(mute, Store.Find("north", "p-bob"));
        Assert.Null(Store.Find("south", "p-bob"));
        Assert.Null(Store.Find("north", "p-alice"));
    }

    [Fact]
    public void MutingAgainReplacesTheMute()
    {
        Store.Save("north", "p-bob", NewMute("north", "p-bob"));
        var again = NewMute("north", "p-bob", "又骂人") with
        {
            Until = new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero),
        };
        Store.Save("north", "p-bob", again);

        Assert.Equal(again, Store.Find("north", "p-bob"));
    }

    [Fact]
    public void LiftingAMuteSaysWhetherThereWasOne()
    {
        Store.Save("north", "p-bob", NewMute("north", "p-bob"));
        Store.Save("south", "p-bob", NewMute("south", "p-bob"));

        Assert.True(Store.Delete("north", "p-bob"));
        Assert.False(Store.Delete("north", "p-bob"));
        Assert.Null(Store.Find("north", "p-bob"));
        Assert.NotNull(Store.Find("south", "p-bob"));
    }
}

public sealed class LiteTeaMuteStoreTests : TeaMuteStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteTeaMuteStoreTests() => Store = new LiteTeaMuteStore(_db);

    protected override ITeaMuteStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgTeaMuteStoreTests : TeaMuteStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITeaMuteStore Store => field ??= new PgTeaMuteStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
