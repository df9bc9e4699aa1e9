using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ISigningKeys"/> must do; each implementation runs these by deriving.</summary>
public abstract class SigningKeysContract
{
    protected abstract ISigningKeys Keys { get; }

    [Fact]
    public void AKeyIsMadeOnceAndReadTheSameAfter()
    {
        _ = Keys;   // made (or the test skipped) on this thread, before the parallel ones start
        var made = Enumerable.Range(0, 8).AsParallel().Select(_ => Keys.Load("directline")).ToList();

        Assert.Equal(32, made[0].Length);
        Assert.All(made, key => Assert.Equal(made[0], key));
        Assert.Equal(made[0], Keys.Load("directline"));
    }

    [Fact]
    public void EachNameHasItsOwnKey() => Assert.NotEqual(Keys.Load("directline"), Keys.Load("chat-users"));
}

public sealed class LiteSigningKeysTests : SigningKeysContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteSigningKeysTests() => Keys = new LiteSigningKeys(_db);

    protected override ISigningKeys Keys { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgSigningKeysTests : SigningKeysContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ISigningKeys Keys => field ??= new PgSigningKeys(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
