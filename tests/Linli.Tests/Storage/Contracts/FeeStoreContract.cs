using Linli.Calendar;
using Linli.Fees;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>Bills as a billing run makes them, for the fee and payment contracts.</summary>
internal static class Billing
{
    public static readonly Period September = new(2026, 9), October = new(2026, 10);

    public static Bill NewBill(string unitId, Period period, BillKind kind, decimal due, decimal paid = 0)
    {
        // Units are "{community}-{building}-{flat}", as the demo's are.
        var parts = unitId.Split('-');
        return new Bill
        {
            Id = Bill.IdFor(unitId, period, kind), CommunityId = parts[0], BuildingId = $"{parts[0]}-{parts[1]}",
            UnitId = unitId, Period = period, Kind = kind, AmountDue = due, AmountPaid = paid, DueDate = period.LastDay,
        };
    }

    /// <summary>
    /// Two months of two flats in north (one with parking, one paid up in September), a month of one flat in south.
    /// </summary>
    public static List<Bill> TwoCommunities() =>
    [
        NewBill("north-1-0101", September, BillKind.PropertyFee, 300.00m, paid: 300.00m),
        NewBill("north-1-0101", September, BillKind.Parking, 150.00m),
        NewBill("north-1-0101", October, BillKind.PropertyFee, 300.00m),
        NewBill("north-1-0101", October, BillKind.Parking, 150.00m),
        NewBill("north-2-0201", September, BillKind.PropertyFee, 256.37m, paid: 256.37m),
        NewBill("north-2-0201", October, BillKind.PropertyFee, 256.37m, paid: 100.01m),
        NewBill("south-1-0101", October, BillKind.PropertyFee, 999.99m),
    ];
}

/// <summary>What every <see cref="IFeeStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class FeeStoreContract
{
    protected abstract IFeeStore Store { get; }

    /// <summary>
    /// The state a billing run leaves: the bills, and the running totals (a new version) and arrears built from them.
    /// </summary>
    protected abstract void GivenBilled(IReadOnlyList<Bill> bills);

    [Fact]
    public void AFlatsBillsAreFoundInItsCommunityOnlyByMonthThenKind()
    {
        var bills = Billing.TwoCommunities();
        GivenBilled([.. bills.OrderBy(_ => Random.Shared.Next())]);

        Assert.Equal(
            ["north-1-0101/2026-09/PropertyFee", "north-1-0101/2026-09/Parking",
                "north-1-0101/2026-10/PropertyFee", "north-1-0101/2026-10/Parking"],
            Store.BillsFor("north", "north-1-0101").Select(b => b.Id));
        Assert.Empty(Store.BillsFor("south", "north-1-0101"));
        Assert.Equal(
            ["north-1-0101/2026-10/PropertyFee", "north-1-0101/2026-10/Parking"],
            Store.BillsFor("north", "north-1-0101", Billing.October).Select(b => b.Id));
        Assert.Empty(Store.BillsFor("north", "north-1-0101", new Period(2026, 8)));
        Assert.Empty(Store.BillsFor("south", "north-1-0101", Billing.October));
    }

    [Fact]
    public void AMonthsBillsAreEveryFlatsOfThatMonthAndCommunity()
    {
        GivenBilled(Billing.TwoCommunities());

        Assert.Equal(
            ["north-1-0101/2026-10/Parking", "north-1-0101/2026-10/PropertyFee", "north-2-0201/2026-10/PropertyFee"],
            Store.BillsOfMonth("north", Billing.October).Select(b => b.Id).Order(StringComparer.Ordinal));
        var south = Store.BillsOfMonth("south", Billing.October);
        Assert.Equal(["south-1-0101/2026-10/PropertyFee"], south.Select(b => b.Id));
        Assert.Empty(Store.BillsOfMonth("south", Billing.September));
    }

    [Fact]
    public void EveryFieldOfABillRoundTripsToTheFen()
    {
        var bill = Billing.NewBill("north-1-0101", Billing.October, BillKind.Parking, 1234.56m, paid: 0.01m)
            with
        { DueDate = new DateOnly(2026, 11, 15) };
        GivenBilled([bill]);

        Assert.Equal(bill, Assert.Single(Store.BillsFor("north", "north-1-0101")));
        Assert.Equal(1234.55m, Store.BillsFor("north", "north-1-0101", Billing.October)[0].Outstanding);
    }

    [Fact]
    public void AFlatsUnpaidBillsAreItsOpenOnesOldestFirst()
    {
        GivenBilled(Billing.TwoCommunities());

        Assert.Equal(
            ["north-1-0101/2026-09/Parking", "north-1-0101/2026-10/PropertyFee", "north-1-0101/2026-10/Parking"],
            Store.UnpaidBillsFor("north", "north-1-0101").Select(b => b.Id));
        var partly = Assert.Single(Store.UnpaidBillsFor("north", "north-2-0201"));
        Assert.Equal(156.36m, partly.Outstanding);
        Assert.Empty(Store.UnpaidBillsFor("south", "north-1-0101"));
        Assert.Empty(Store.UnpaidBillsFor("north", "north-9-0909"));
    }

    [Fact]
    public void TheTotalsAreTheBillsAddedUpByMonthAndBuildingInTheirCommunityOnly()
    {
        GivenBilled(Billing.TwoCommunities());

        var north = Store.Totals("north").ToDictionary(t => t.Id);
        Assert.All(north.Values, t => Assert.Equal("north", t.CommunityId));
        var october = north["north/2026-10"];
        Assert.Equal((706.37m, 100.01m, 2, 0), (october.Due, october.Paid, october.Units, october.UnitsSettled));
        var september = north["north/2026-09"];
        Assert.Equal((706.37m, 556.37m, 2, 1),
            (september.Due, september.Paid, september.Units, september.UnitsSettled));
        var building = north["north/2026-09/north-2"];
        Assert.Equal(("north-2", Billing.September, 256.37m, 1, 1),
            (building.BuildingId, building.Period, building.Paid, building.Units, building.UnitsSettled));
        Assert.Equal(6, north.Count);
        Assert.Equal(["south/2026-10", "south/2026-10/south-1"], Store.Totals("south").Select(t => t.Id).Order());
        Assert.Empty(Store.Totals("east"));
    }

    [Fact]
    public void TheVersionIsZeroUntilTotalsAreWrittenAndEachCommunityHasItsOwn()
    {
        Assert.Equal(0, Store.TotalsVersion("north"));
        GivenBilled(Billing.TwoCommunities().Where(b => b.CommunityId == "north").ToList());

        Assert.True(Store.TotalsVersion("north") > 0);
        Assert.Equal(0, Store.TotalsVersion("south"));
    }
}

public sealed class LiteFeeStoreTests : FeeStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteFeeStoreTests() => Store = new LiteFeeStore(_db);

    protected override IFeeStore Store { get; }

    protected override void GivenBilled(IReadOnlyList<Bill> bills) => LiteBilling.Given(_db, bills);

    public void Dispose() => _db.Dispose();
}

/// <summary>A billing run in a LiteDB file: the bills, then their totals and arrears built as at start-up.</summary>
internal static class LiteBilling
{
    public static void Given(LinliDatabase db, IReadOnlyList<Bill> bills)
    {
        db.Bills.InsertBulk(bills);
        foreach (var community in bills.Select(b => b.CommunityId).Distinct())
            LiteFeeTotals.Build(db, community);
    }
}

public sealed class PgFeeStoreTests : FeeStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IFeeStore Store => field ??= new PgFeeStore(_postgres.Db);

    protected override void GivenBilled(IReadOnlyList<Bill> bills) => new PgFeeStore(_postgres.Db).Load(bills, []);

    public void Dispose() => _postgres.Dispose();
}
