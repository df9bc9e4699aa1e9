using LiteDB;
using Linli.Calendar;
using Linli.Communities;
using Linli.Fees;
using Linli.Seeding;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Seeding;

public class DemoSeedTests
{
    private static readonly Period Last = new(2026, 10);

    private static DemoSeeder SeederFor(
        LinliDatabase db, int seed = 7, bool enabled = true, TimeProvider? time = null) =>
        DemoSeeder.Standalone(db, new DemoOptions { Seed = enabled, RandomSeed = seed, LastPeriod = Last.ToString() },
            time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 5, 2, 0, 0, TimeSpan.Zero)));

    private static string[] Dump(LinliDatabase db, string collection) =>
        db.GetCollection(collection).FindAll().Select(d => JsonSerializer.Serialize(d))
            .Order(StringComparer.Ordinal).ToArray();

    private static readonly string[] DataCollections =
        ["communities", "buildings", "units", "people", "bills", "payments"];

    [Fact]
    public void SameSeedWritesTheSameDocuments()
    {
        using var a = LinliDatabase.Open(":memory:");
        using var b = LinliDatabase.Open(":memory:");
        SeederFor(a, seed: 42).SeedIfEmpty();
        // A different clock must not matter: the seed and last period fix the data.
        var later = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        SeederFor(b, seed: 42, time: later).SeedIfEmpty();

        foreach (var name in DataCollections)
            Assert.Equal(Dump(a, name), Dump(b, name));
    }

    [Fact]
    public void AnotherSeedWritesAnotherEstate()
    {
        var one = DemoCommunity.Generate(1, Last);
        var two = DemoCommunity.Generate(2, Last);
        Assert.NotEqual(one.People.Select(p => p.Name), two.People.Select(p => p.Name));
        Assert.NotEqual(one.Payments.Count, two.Payments.Count);
    }

    [Fact]
    public void SeedsOnlyOnce()
    {
        using var db = LinliDatabase.Open(":memory:");
        Assert.True(SeederFor(db).SeedIfEmpty());
        var bills = db.Bills.Count();
        var bill = db.Bills.FindOne(b => b.AmountPaid == 0);
        db.Bills.Update(bill with { AmountPaid = bill.AmountDue });

        Assert.False(SeederFor(db).SeedIfEmpty());
        Assert.Equal(bills, db.Bills.Count());
        Assert.Equal(bill.AmountDue, db.Bills.FindById(bill.Id).AmountPaid);
    }

    [Fact]
    public void AnOlderSeedGetsItsManagersRoleOnceAndARoleTakenAwayLaterStaysAway()
    {
        using var db = LinliDatabase.Open(":memory:");
        SeederFor(db).SeedIfEmpty();
        var manager = db.People.FindOne(p => p.Title == "物业经理");
        var withoutRole = manager with { Roles = [.. manager.Roles.Where(r => r != People.Role.Manager)] };
        db.People.Update(withoutRole);
        db.Settings.Delete("demo|roles-upgraded"); // as a file seeded before the upgrade existed

        Assert.Equal(1, SeederFor(db).UpgradeRoles());
        Assert.True(db.People.FindById(manager.Id).Has(People.Role.Manager));

        db.People.Update(withoutRole); // an administrator takes it away
        Assert.Equal(0, SeederFor(db).UpgradeRoles());
        Assert.False(db.People.FindById(manager.Id).Has(People.Role.Manager));
    }

    [Fact]
    public void NeverSeedsOverRealData()
    {
        using var db = LinliDatabase.Open(":memory:");
        db.Communities.Insert(new Community
        {
            Id = "real", Name = "真实小区", NameEn = "Real Estate", City = "泉州市", District = "鲤城区",
            Address = "x", PropertyFeeRate = 1.2m, ParkingFee = 80m,
        });

        Assert.False(SeederFor(db).SeedIfEmpty());
        Assert.Equal(["real"], db.Communities.FindAll().Select(c => c.Id));
        Assert.Equal(0, db.Units.Count());
    }

    [Fact]
    public void DisabledSeedWritesNothing()
    {
        using var db = LinliDatabase.Open(":memory:");
        Assert.False(SeederFor(db, enabled: false).SeedIfEmpty());
        Assert.Equal(0, db.Communities.Count());
    }

    [Fact]
    public void DefaultLastPeriodIsLastMonthInChina()
    {
        using var db = LinliDatabase.Open(":memory:");
        // June 1st in Quanzhou.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 31, 18, 0, 0, TimeSpan.Zero));
        DemoSeeder.Standalone(db, new DemoOptions { RandomSeed = 3 }, time).SeedIfEmpty();
        Assert.Equal(new Period(2026, 5), db.Seeds.FindById(DemoSeeder.SeedId).LastPeriod);
        Assert.Equal(new Period(2024, 6), db.Bills.FindAll().Min(b => b.Period));
    }

    [Fact]
    public void SeededDocumentsRoundTripThroughTheMapper()
    {
        using var db = LinliDatabase.Open(":memory:");
        SeederFor(db).SeedIfEmpty();
        var data = DemoCommunity.Generate(7, Last);

        Assert.Equal(data.Bills[5], db.Bills.FindById(data.Bills[5].Id));
        var payment = db.Payments.FindById(data.Payments[3].Id);
        Assert.Equal(data.Payments[3].PaidAt, payment.PaidAt);
        Assert.Equal(data.Payments[3].Lines, payment.Lines);
        // Derived values are not stored.
        var raw = db.GetCollection("bills").FindById(data.Bills[5].Id);
        Assert.False(raw.ContainsKey("Outstanding"));
        Assert.Equal("2024-11", db.GetCollection("bills").FindById(data.Bills[0].Id)["Period"].AsString);
    }

    [Fact]
    public void SyntheticCommunitiesAreSeededBesideTheDemoForBenchmarks()
    {
        using var db = LinliDatabase.Open(":memory:");
        var seeder = DemoSeeder.Standalone(db,
            new DemoOptions
            {
                RandomSeed = 7, LastPeriod = Last.ToString(), SyntheticCommunities = 3, SyntheticUnits = 150,
            },
            TimeProvider.System);

        Assert.True(seeder.SeedIfEmpty());
        Assert.Equal(["citong", "syn0001", "syn0002", "syn0003"], db.Communities.FindAll().Select(c => c.Id).Order());
        // 150 flats round up to three 72-flat towers.
        Assert.Equal(216, db.Units.Count(u => u.CommunityId == "syn0002"));
        Assert.Equal(216 * 24,
            db.Bills.Count(b => b.CommunityId == "syn0002" && b.Kind == BillKind.PropertyFee));
        Assert.False(seeder.SeedIfEmpty());
    }
}
