using Linli.Accounts;
using Linli.People;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IAccountStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class AccountStoreContract
{
    protected abstract IAccountStore Store { get; }

    /// <summary>The people the accounts belong to, in the same storage.</summary>
    protected abstract IPeopleStore People { get; }

    private static Account NewAccount(string community, string id, string personId) => new()
    {
        Id = id, PersonId = personId, CommunityId = community, Roles = [Role.Staff],
        PasswordHash = "AQAAAAIAAYagAAAAE-hash", Stamp = "0011223344556677",
    };

    /// <summary>Adds an account and its person of the same id.</summary>
    private bool Add(string community, string userName, string personId) =>
        Store.TryAdd(NewAccount(community, userName, personId), NewPerson(community, personId));

    private static Person NewPerson(string community, string id, string name = "黄师傅") => new()
    {
        Id = id, CommunityId = community, Name = name, Phone = "13911112222", Roles = [Role.Staff], Title = "水电工",
    };

    [Fact]
    public void AnAccountIsAddedWithItsPersonAndFoundByUserNameFromAnywhere()
    {
        Assert.True(Add("north", "plumber1", "north-a-plumber1"));

        // Sign-in has no community yet: the user name alone finds the account, which says its community.
        Assert.Equal("north", Store.Find("plumber1")?.CommunityId);
        Assert.Equal("黄师傅", People.Find("north", "north-a-plumber1")?.Name);
        Assert.Null(Store.Find("plumber2"));
    }

    [Fact]
    public void ATakenUserNameAddsNothing()
    {
        Assert.True(Add("north", "plumber1", "north-a-plumber1"));

        Assert.False(Add("south", "plumber1", "south-a-plumber1"));
        Assert.Equal("north-a-plumber1", Store.Find("plumber1")?.PersonId);
        Assert.Null(People.Find("south", "south-a-plumber1"));
    }

    [Fact]
    public void ParallelAddsOfOneUserNameLandOnce()
    {
        _ = Store;   // made (or the test skipped) on this thread, before the parallel ones start
        var added = Enumerable.Range(0, 8).AsParallel()
            .Select(i => Add("north", "plumber1", $"p{i}"))
            .ToList();
        Assert.Equal(1, added.Count(a => a));
        Assert.Single(Store.InCommunity("north"));
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        Add("north", "plumber1", "p1");
        var changed = NewAccount("north", "plumber1", "p1") with
        {
            Roles = [Role.Staff, Role.Manager, Role.Admin],
            FailedAttempts = 3,
            Disabled = true,
            LockedUntil = new DateTimeOffset(2026, 11, 2, 4, 15, 0, 123, TimeSpan.Zero),
            MustChangePassword = true,
            Stamp = "8899aabbccddeeff",
            PasswordChangedAt = new DateTimeOffset(2026, 11, 1, 23, 59, 59, 999, TimeSpan.Zero),
        };
        Store.Save(changed);

        var found = Store.Find("plumber1");
        Assert.NotNull(found);
        // Lists compare by reference in a record: the same empty one on both sides, and the roles apart.
        List<Role> roles = [];
        Assert.Equal(changed with { Roles = roles }, found with { Roles = roles });
        Assert.Equal(changed.Roles, found.Roles);
    }

    [Fact]
    public void AnAccountAndItsPersonAreSavedTogether()
    {
        Add("north", "plumber1", "p1");
        var account = NewAccount("north", "plumber1", "p1") with { Roles = [Role.Volunteer], Stamp = "ffff" };
        var person = NewPerson("north", "p1") with
        {
            Roles = [Role.Resident, Role.Volunteer],
            WeComUserId = "HuangShi",
        };
        Store.Save(account, person);

        Assert.Equal([Role.Volunteer], Store.Find("plumber1")!.Roles);
        Assert.Equal("ffff", Store.Find("plumber1")!.Stamp);
        Assert.Equal("HuangShi", People.Find("north", "p1")!.WeComUserId);
    }

    [Fact]
    public void ACommunitysAccountsAreItsOwnByUserName()
    {
        foreach (var name in new[] { "repair2", "admin", "repair1" }) Add("north", name, $"north-{name}");
        Add("south", "south.admin", "south-admin");
        Add("north", "repair1.wecom", "north-repair1");

        Assert.Equal(["admin", "repair1", "repair1.wecom", "repair2"], Store.InCommunity("north").Select(a => a.Id));
        Assert.Equal(["repair1", "repair1.wecom"], Store.OfPerson("north", "north-repair1").Select(a => a.Id));
        Assert.Empty(Store.OfPerson("south", "north-repair1"));
    }
}

public sealed class LiteAccountStoreTests : AccountStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteAccountStoreTests()
    {
        Store = new LiteAccountStore(_db);
        People = new LitePeopleStore(_db);
    }

    protected override IAccountStore Store { get; }

    protected override IPeopleStore People { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgAccountStoreTests : AccountStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IAccountStore Store => field ??= new PgAccountStore(_postgres.Db);

    protected override IPeopleStore People => field ??= new PgPeopleStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
