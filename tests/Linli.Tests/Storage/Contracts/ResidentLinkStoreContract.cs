using Linli.Accounts;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IResidentLinkStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class ResidentLinkStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    protected abstract IResidentLinkStore Store { get; }

    [Fact]
    public void TheSigningKeyIsMadeOnceAndKept()
    {
        var key = Store.SigningKey();
        Assert.True(key.Length >= 32);
        Assert.Equal(key, Store.SigningKey());
    }

    [Fact]
    public void ALinkIsUsedOnce()
    {
        Assert.False(Store.IsUsed("n1"));
        Assert.True(Store.TryUse("n1", Noon.AddMinutes(15), Noon));
        Assert.True(Store.IsUsed("n1"));
        Assert.False(Store.TryUse("n1", Noon.AddMinutes(15), Noon.AddMinutes(1)));
        Assert.False(Store.IsUsed("n2"));
    }

    [Fact]
    public void OfManyFollowingOneLinkAtOnceOneGetsIn()
    {
        _ = Store;   // made (or the test skipped) on this thread, before the parallel ones start
        var used = Enumerable.Range(0, 16).AsParallel().Select(_ => Store.TryUse("n1", Noon.AddMinutes(15), Noon))
            .ToList();
        Assert.Equal(1, used.Count(u => u));
    }

    [Fact]
    public void LinksPastTheirExpiryAreForgotten()
    {
        Store.TryUse("old", Noon.AddMinutes(15), Noon);
        Store.TryUse("recent", Noon.AddMinutes(30), Noon.AddMinutes(10));

        Store.TryUse("new", Noon.AddMinutes(35), Noon.AddMinutes(20));
        Assert.False(Store.IsUsed("old"));
        Assert.True(Store.IsUsed("recent"));
        Assert.True(Store.IsUsed("new"));
    }
}

public sealed class LiteResidentLinkStoreTests : ResidentLinkStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteResidentLinkStoreTests() => Store = new LiteResidentLinkStore(_db);

    protected override IResidentLinkStore Store { get; }

    [Fact]
    public void AnotherStoreOnTheSameFileSignsWithTheSameKey() =>
        Assert.Equal(Store.SigningKey(), new LiteResidentLinkStore(_db).SigningKey());

    public void Dispose() => _db.Dispose();
}

public sealed class PgResidentLinkStoreTests : ResidentLinkStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IResidentLinkStore Store => field ??= new PgResidentLinkStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
