using Linli.People;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IPeopleStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class PeopleStoreContract
{
    protected abstract IPeopleStore Store { get; }

    private static Person NewPerson(string community, string id, string phone = "13800000000", string? title = null,
        params string[] units) => new()
        {
            Id = id, CommunityId = community, Name = "林小梅", Phone = phone, Title = title,
            Roles = title is null ? [Role.Resident] : [Role.Staff],
            Units = [.. units.Select(u => new UnitBinding(u, UnitRelation.Owner))],
        };

    [Fact]
    public void APersonIsFoundInTheirCommunityOnlyWithEveryField()
    {
        var person = NewPerson("north", "p1") with
        {
            Roles = [Role.Resident, Role.Owner, Role.Committee],
            Units = [new UnitBinding("north-3-0502", UnitRelation.CoOwner), new("north-3-0601", UnitRelation.Tenant)],
            IsOrganization = true,
            Title = "业委会委员",
            Locale = "en-US",
            WeComUserId = "LinXiaoMei",
        };
        Store.Save(person);

        var found = Store.Find("north", "p1");
        Assert.NotNull(found);
        // Lists compare by reference in a record: the same empty ones on both sides, and their items apart.
        List<Role> roles = [];
        List<UnitBinding> units = [];
        Assert.Equal(person with { Roles = roles, Units = units }, found with { Roles = roles, Units = units });
        Assert.Equal(person.Roles, found.Roles);
        Assert.Equal(person.Units, found.Units);
        Assert.Null(Store.Find("south", "p1"));
    }

    [Fact]
    public void SavingAgainReplaces()
    {
        Store.Save(NewPerson("north", "p1"));
        Store.Save(NewPerson("north", "p1", phone: "13900000000"));
        Assert.Equal("13900000000", Assert.Single(Store.InCommunity("north")).Phone);
    }

    [Fact]
    public void WithPhoneFindsTheCommunitysPeopleWithThatNumberById()
    {
        Store.Save(NewPerson("north", "p2", phone: "13811112222"));
        Store.Save(NewPerson("north", "p1", phone: "13811112222"));
        Store.Save(NewPerson("north", "p3", phone: "13833334444"));
        Store.Save(NewPerson("south", "p4", phone: "13811112222"));

        Assert.Equal(["p1", "p2"], Store.WithPhone("north", "13811112222").Select(p => p.Id));
        Assert.Empty(Store.WithPhone("north", "13855556666"));
    }

    [Fact]
    public void OfUnitFindsWhoeverIsTiedToTheFlat()
    {
        Store.Save(NewPerson("north", "p2", units: ["north-3-0502", "north-3-0601"]));
        Store.Save(NewPerson("north", "p1", units: ["north-3-0502"]));
        Store.Save(NewPerson("north", "p3", units: ["north-3-0601"]));
        Store.Save(NewPerson("south", "p4", units: ["north-3-0502"]));

        Assert.Equal(["p1", "p2"], Store.OfUnit("north", "north-3-0502").Select(p => p.Id));
        Assert.Empty(Store.OfUnit("north", "north-9-0101"));
    }

    [Fact]
    public void StaffAreThePeopleWithATitleById()
    {
        Store.Save(NewPerson("north", "s2", title: "维修工"));
        Store.Save(NewPerson("north", "r1"));
        Store.Save(NewPerson("north", "s1", title: "客服"));
        Store.Save(NewPerson("south", "s3", title: "保安"));

        Assert.Equal(["s1", "s2"], Store.Staff("north").Select(p => p.Id));
    }

    [Fact]
    public void AResidentIsNamedInATextThatContainsTheirWholeName()
    {
        Store.Save(NewPerson("north", "r1") with { Name = "王建国" });
        Store.Save(NewPerson("north", "r2") with { Name = "李" });
        Store.Save(NewPerson("north", "s1", title: "维修工") with { Name = "赵师傅" });
        Store.Save(NewPerson("north", "o1") with { Name = "刺桐物业", IsOrganization = true });
        Store.Save(NewPerson("south", "r3") with { Name = "陈美玲" });

        Assert.True(Store.AnyResidentNamedIn("north", "王建国捐款"));
        Assert.True(Store.AnyResidentNamedIn("north", "业主王建国"));
        // Part of a name, a one-character name, staff, an organisation, another community's resident: none of them.
        Assert.False(Store.AnyResidentNamedIn("north", "王建"));
        Assert.False(Store.AnyResidentNamedIn("north", "李氏宗亲会"));
        Assert.False(Store.AnyResidentNamedIn("north", "赵师傅"));
        Assert.False(Store.AnyResidentNamedIn("north", "刺桐物业赞助"));
        Assert.False(Store.AnyResidentNamedIn("north", "陈美玲"));
        Assert.True(Store.AnyResidentNamedIn("south", "陈美玲"));
    }

    [Fact]
    public void InCommunityComesByIdAPageAtATime()
    {
        foreach (var i in new[] { 4, 1, 3, 0, 2 }) Store.Save(NewPerson("north", $"p{i}"));
        Store.Save(NewPerson("south", "p9"));

        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], Store.InCommunity("north").Select(p => p.Id));
        Assert.Equal(["p2", "p3"], Store.InCommunity("north", skip: 2, take: 2).Select(p => p.Id));
        Assert.Empty(Store.InCommunity("north", skip: 5));
    }

    [Fact]
    public void AWeComMemberIdIsFoundWhateverTheCommunity()
    {
        Store.Save(NewPerson("north", "s1", title: "客服") with { WeComUserId = "ZhangWei" });
        Store.Save(NewPerson("south", "s2", title: "客服") with { WeComUserId = "LiNa" });

        Assert.Equal("s2", Store.FindByWeComUserId("LiNa")?.Id);
        Assert.Equal("s1", Store.FindByWeComUserId("ZhangWei")?.Id);
        Assert.Null(Store.FindByWeComUserId("WangFang"));
    }
}

public sealed class LitePeopleStoreTests : PeopleStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LitePeopleStoreTests() => Store = new LitePeopleStore(_db);

    protected override IPeopleStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgPeopleStoreTests : PeopleStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IPeopleStore Store => field ??= new PgPeopleStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
