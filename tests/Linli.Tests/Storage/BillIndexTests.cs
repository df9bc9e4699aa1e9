using Linli.Calendar;
using Linli.Fees;
using Linli.Seeding;
using Linli.Storage;
using Linli.Storage.LiteDb;

namespace Linli.Tests.Storage;

public sealed class BillIndexTests : IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public BillIndexTests() =>
        DemoSeeder.Standalone(_db, new DemoOptions { RandomSeed = 5, LastPeriod = "2026-10" }, TimeProvider.System)
            .SeedIfEmpty();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void BillsByUnitAndPeriodUseTheUnitPeriodIndex()
    {
        var filter = LiteFeeStore.UnitPeriodFilter("citong-3-0502", new Period(2026, 3));
        var plan = _db.Bills.Query().Where(filter).GetPlan();
        TestContext.Current.TestOutputHelper?.WriteLine(plan.ToString());

        Assert.Equal(LinliDatabase.Indexes.UnitPeriod, plan["index"]["name"].AsString);
        Assert.StartsWith("INDEX SEEK", plan["index"]["mode"].AsString);
    }

    [Fact]
    public void BillsByCommunityAndPeriodUseTheCommunityPeriodIndex()
    {
        var filter = LiteFeeStore.CommunityPeriodFilter("citong", new Period(2026, 3));
        var plan = _db.Bills.Query().Where(filter).GetPlan();
        Assert.Equal(LinliDatabase.Indexes.CommunityPeriod, plan["index"]["name"].AsString);
        Assert.StartsWith("INDEX SEEK", plan["index"]["mode"].AsString);
    }

    [Fact]
    public void AllACommunitysBillsAreARangeOfTheCommunityPeriodIndex()
    {
        var plan = _db.Bills.Query().Where(LiteFeeStore.CommunityFilter("citong")).GetPlan();
        Assert.Equal(LinliDatabase.Indexes.CommunityPeriod, plan["index"]["name"].AsString);
        Assert.StartsWith("INDEX RANGE", plan["index"]["mode"].AsString);
        Assert.Equal(
            _db.Bills.FindAll().Count(b => b.CommunityId == "citong"),
            _db.Bills.Find(LiteFeeStore.CommunityFilter("citong")).Count());
    }

    [Fact]
    public void FindsExactlyTheUnitsBillsForAMonth()
    {
        var fees = new LiteFeeStore(_db);
        var bills = fees.BillsFor("citong", "citong-3-0502", new Period(2026, 3));

        Assert.NotEmpty(bills);
        Assert.All(bills, b => Assert.Equal(("citong-3-0502", new Period(2026, 3)), (b.UnitId, b.Period)));
        var counted = _db.Bills.FindAll().Count(b => b.UnitId == "citong-3-0502" && b.Period == new Period(2026, 3));
        Assert.Equal(counted, bills.Count);
        Assert.Empty(fees.BillsFor("citong", "citong-3-0502", new Period(2020, 1)));
        Assert.Empty(fees.BillsFor("syn0001", "citong-3-0502", new Period(2026, 3)));
    }

    [Fact]
    public void CollectionRateAddsUpTheMonthsBills()
    {
        var month = new Period(2026, 6);
        var all = _db.Bills.FindAll().Where(b => b.CommunityId == "citong" && b.Period == month).ToList();
        using var reports = new FeeReports(new LiteFeeStore(_db));
        var rate = reports.CollectionRate("citong", month);

        Assert.Equal(all.Sum(b => b.AmountDue), rate.Due);
        Assert.Equal(all.Sum(b => b.AmountPaid), rate.Paid);
        Assert.InRange(rate.Rate, 0.5m, 1m);
    }
}
