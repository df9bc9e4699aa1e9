using Linli.Residents;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IBindingCodeStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class BindingCodeStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    protected abstract IBindingCodeStore Store { get; }

    private static BindingCode NewCode(string channel, string user) => new()
    {
        Id = ResidentBinding.IdFor(channel, user), CommunityId = "north", UnitId = "north-3-0502", PersonId = "p1",
        CodeHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ExpiresAt = new DateTimeOffset(2026, 11, 2, 4, 10, 0, 123, TimeSpan.Zero),
    };

    private static CodeRequest NewRequest(int minutes, string unit = "u1", string phone = "h1", string by = "ip:1") =>
        new() { UnitId = unit, PhoneHash = phone, Requester = by, At = Noon.AddMinutes(minutes) };

    [Fact]
    public void APendingCodeIsKeptByChatIdentityUntilDeleted()
    {
        var code = NewCode("web", "pending-1");
        Store.SaveCode(code);
        Assert.Equal(code, Store.FindCode("web", "pending-1"));
        Assert.Null(Store.FindCode("web", "pending-2"));

        Store.SaveCode(code with { Attempts = 2 });
        Assert.Equal(2, Store.FindCode("web", "pending-1")!.Attempts);

        Store.DeleteCode("web", "pending-1");
        Assert.Null(Store.FindCode("web", "pending-1"));
        Store.DeleteCode("web", "pending-1");
    }

    [Fact]
    public void AsksAreFoundByFlatPhoneOrRequesterNewestFirst()
    {
        Store.AddRequest(NewRequest(1, unit: "u1", phone: "h9", by: "ip:9"));
        Store.AddRequest(NewRequest(3, unit: "u9", phone: "h1", by: "ip:9"));
        Store.AddRequest(NewRequest(2, unit: "u9", phone: "h9", by: "ip:1"));
        Store.AddRequest(NewRequest(4, unit: "u9", phone: "h9", by: "ip:9"));

        var found = Store.RequestsSince(Noon, "u1", "h1", "ip:1");
        Assert.Equal([3, 2, 1], found.Select(r => (int)(r.At - Noon).TotalMinutes));
        Assert.Equal([3, 2], Store.RequestsSince(Noon.AddMinutes(1), "u1", "h1", "ip:1")
            .Select(r => (int)(r.At - Noon).TotalMinutes));
    }

    [Fact]
    public void AnAskAddedAgainCountsOnceWithEveryField()
    {
        var ask = NewRequest(0) with { At = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero) };
        Store.AddRequest(ask);
        Store.AddRequest(ask);

        Assert.Equal(ask, Assert.Single(Store.RequestsSince(Noon.AddDays(-1), "u1", "none", "none")));
    }

    [Fact]
    public void OldAsksAreForgotten()
    {
        Store.AddRequest(NewRequest(-60 * 25));
        Store.AddRequest(NewRequest(-10));
        Store.ForgetRequestsBefore(Noon.AddDays(-1));

        Assert.Single(Store.RequestsSince(Noon.AddDays(-2), "u1", "h1", "ip:1"));
    }
}

public sealed class LiteBindingCodeStoreTests : BindingCodeStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteBindingCodeStoreTests() => Store = new LiteBindingCodeStore(_db);

    protected override IBindingCodeStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgBindingCodeStoreTests : BindingCodeStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IBindingCodeStore Store => field ??= new PgBindingCodeStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
