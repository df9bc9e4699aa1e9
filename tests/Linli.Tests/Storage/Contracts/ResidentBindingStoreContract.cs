using Linli.Residents;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>
/// What every <see cref="IResidentBindingStore"/> must do; each implementation runs these by deriving.
/// </summary>
public abstract class ResidentBindingStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    protected abstract IResidentBindingStore Store { get; }

    private static ResidentBinding NewBinding(string community, string channel, string user, string person = "p1") =>
        new()
        {
            Id = ResidentBinding.IdFor(channel, user), CommunityId = community, UnitId = $"{community}-3-0502",
            PersonId = person, BoundAt = Noon,
        };

    [Fact]
    public void ABindingIsFoundByItsChatIdentityWithEveryField()
    {
        var binding = NewBinding("north", "wechat", "oAbc-123") with
        {
            BoundAt = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero),
            LastArrearsReminderAt = new DateTimeOffset(2026, 11, 3, 1, 2, 3, 456, TimeSpan.Zero),
        };
        Store.Save(binding);

        Assert.Equal(binding, Store.Find("wechat", "oAbc-123"));
        Assert.Null(Store.Find("directline", "oAbc-123"));
        Assert.Equal(("wechat", "oAbc-123"), Store.Find("wechat", "oAbc-123")!.Identity());
    }

    [Fact]
    public void BindingAgainReplaces()
    {
        Store.Save(NewBinding("north", "wechat", "u1"));
        Store.Save(NewBinding("north", "wechat", "u1", person: "p2"));

        Assert.Equal("p2", Assert.Single(Store.InCommunity("north")).PersonId);
    }

    [Fact]
    public void ACommunitysBindingsAndAPersonsAreTheirOwnById()
    {
        Store.Save(NewBinding("north", "wechat", "u2"));
        Store.Save(NewBinding("north", "directline", "u1"));
        Store.Save(NewBinding("north", "wechat", "u3", person: "p2"));
        Store.Save(NewBinding("south", "wechat", "u4"));

        Assert.Equal(["directline|u1", "wechat|u2", "wechat|u3"], Store.InCommunity("north").Select(b => b.Id));
        Assert.Equal(["directline|u1", "wechat|u2"], Store.OfPerson("north", "p1").Select(b => b.Id));
        Assert.Equal(["wechat|u4"], Store.OfPerson("south", "p1").Select(b => b.Id));
        Assert.Empty(Store.OfPerson("east", "p1"));
    }
}

public sealed class LiteResidentBindingStoreTests : ResidentBindingStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteResidentBindingStoreTests() => Store = new LiteResidentBindingStore(_db);

    protected override IResidentBindingStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgResidentBindingStoreTests : ResidentBindingStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IResidentBindingStore Store => field ??= new PgResidentBindingStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
