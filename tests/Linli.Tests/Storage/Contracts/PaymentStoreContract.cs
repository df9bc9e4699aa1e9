using Linli.Calendar;
using Linli.Fees;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>
/// What every <see cref="IPaymentStore"/> must do: a payment and all it changes land together, once, with a receipt
/// numbered per community and China day. Read back through the <see cref="IFeeStore"/> of the same data.
/// </summary>
public abstract class PaymentStoreContract
{
    /// <summary>10:00:00.123 in China, 02:00 UTC.</summary>
    private static readonly DateTimeOffset November15 = new(2026, 11, 15, 10, 0, 0, 123, ChinaTime.Offset);

    protected abstract IPaymentStore Store { get; }
    protected abstract IFeeStore Fees { get; }

    /// <summary>
    /// The state a billing run leaves: the bills, and the running totals and arrears built from them.
    /// </summary>
    protected abstract void GivenBilled(IReadOnlyList<Bill> bills);

    private static Payment NewPayment(string unitId, DateTimeOffset paidAt, decimal prepaid,
        params PaymentLine[] lines) => new()
        {
            Id = "wechat:" + Ids.New(), CommunityId = unitId.Split('-')[0], UnitId = unitId, PaidAt = paidAt,
            Method = PaymentMethod.WeChatPay, Lines = [.. lines], Prepaid = prepaid, Source = "wechat",
        };

    private static PaymentLine Line(string unitId, Period period, BillKind kind, decimal amount) =>
        new(Bill.IdFor(unitId, period, kind), amount);

    private static string BuildingOf(string unitId) => string.Join('-', unitId.Split('-')[..2]);

    private PaymentRecording Record(Payment payment) => Store.Record(payment, BuildingOf(payment.UnitId));

    private Bill BillOf(string unitId, Period period, BillKind kind) =>
        Fees.BillsFor(unitId.Split('-')[0], unitId, period).Single(b => b.Kind == kind);

    /// <summary>Equal in every field (the lines as a sequence; instants to the millisecond).</summary>
    private static void AssertSamePayment(Payment expected, Payment? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Lines, actual.Lines);
        Assert.Equal(expected, actual with { Lines = expected.Lines });
    }

    [Fact]
    public void ARecordedPaymentPaysItsBillsAndMovesTheTotalsArrearsAndVersionTogether()
    {
        GivenBilled(Billing.TwoCommunities());
        var version = Fees.TotalsVersion("north");
        var payment = NewPayment("north-1-0101", November15, 0,
            Line("north-1-0101", Billing.September, BillKind.Parking, 150.00m),
            Line("north-1-0101", Billing.October, BillKind.PropertyFee, 100.00m));

        var recording = Record(payment);

        Assert.Equal(RecordOutcome.Recorded, recording.Outcome);
        AssertSamePayment(payment with { ReceiptNumber = "SK-20261115-0001" }, recording.Payment);
        AssertSamePayment(recording.Payment!, Store.Find("north", payment.Id));
        Assert.Equal(150.00m, BillOf("north-1-0101", Billing.September, BillKind.Parking).AmountPaid);
        Assert.Equal(100.00m, BillOf("north-1-0101", Billing.October, BillKind.PropertyFee).AmountPaid);
        Assert.Equal(
            [("north-1-0101/2026-10/PropertyFee", 200.00m), ("north-1-0101/2026-10/Parking", 150.00m)],
            Fees.UnpaidBillsFor("north", "north-1-0101").Select(b => (b.Id, b.Outstanding)));

        var totals = Fees.Totals("north").ToDictionary(t => t.Id);
        // September is settled for both flats now; October got 100 more; November received 250 for months gone.
        Assert.Equal((706.37m, 2), (totals["north/2026-09"].Paid, totals["north/2026-09"].UnitsSettled));
        var building = totals["north/2026-09/north-1"];
        Assert.Equal((450.00m, 1), (building.Paid, building.UnitsSettled));
        Assert.Equal((200.01m, 0), (totals["north/2026-10"].Paid, totals["north/2026-10"].UnitsSettled));
        foreach (var id in new[] { "north/2026-11", "north/2026-11/north-1" })
            Assert.Equal((250.00m, 0m, 0), (totals[id].Recovered, totals[id].Prepaid, totals[id].Units));
        Assert.True(Fees.TotalsVersion("north") > version);
    }

    [Fact]
    public void ReceiptsAreNumberedPerCommunityAndChinaDayWithoutGaps()
    {
        GivenBilled(Billing.TwoCommunities());
        var lateEvening = new DateTimeOffset(2026, 11, 15, 23, 59, 59, ChinaTime.Offset);
        var afterMidnightInChina = new DateTimeOffset(2026, 11, 15, 16, 30, 0, TimeSpan.Zero);

        string Receipt(string unitId, DateTimeOffset at) => Record(NewPayment(unitId, at, 10m)).Payment!.ReceiptNumber;

        Assert.Equal("SK-20261115-0001", Receipt("north-1-0101", November15));
        Assert.Equal("SK-20261115-0002", Receipt("north-2-0201", lateEvening));
        Assert.Equal("SK-20261116-0001", Receipt("north-1-0101", afterMidnightInChina));
        Assert.Equal("SK-20261115-0001", Receipt("south-1-0101", November15));
        Assert.Equal("SK-20261115-0003", Receipt("north-1-0101", November15.AddHours(1)));
    }

    [Fact]
    public void ARetriedPaymentLandsOnce()
    {
        GivenBilled(Billing.TwoCommunities());
        var payment = NewPayment("north-1-0101", November15, 0,
            Line("north-1-0101", Billing.September, BillKind.Parking, 150.00m));
        var first = Record(payment).Payment!;
        var version = Fees.TotalsVersion("north");
        var totals = Fees.Totals("north").OrderBy(t => t.Id).ToList();

        var again = Record(payment);
        // A retry allocated afresh, under the same transaction id, lands no more than the first.
        var reallocated = Record(payment with
        {
            Lines = [Line("north-1-0101", Billing.October, BillKind.PropertyFee, 150.00m)],
        });

        Assert.Equal(RecordOutcome.AlreadyRecorded, again.Outcome);
        AssertSamePayment(first, again.Payment);
        Assert.Equal(RecordOutcome.AlreadyRecorded, reallocated.Outcome);
        Assert.Equal(150.00m, BillOf("north-1-0101", Billing.September, BillKind.Parking).AmountPaid);
        Assert.Equal(0m, BillOf("north-1-0101", Billing.October, BillKind.PropertyFee).AmountPaid);
        Assert.Equal(version, Fees.TotalsVersion("north"));
        Assert.Equal(totals, Fees.Totals("north").OrderBy(t => t.Id));
        Assert.Single(Store.LatestFor("north", "north-1-0101", 10));
        Assert.Equal("SK-20261115-0002", Record(NewPayment("north-1-0101", November15, 1m)).Payment!.ReceiptNumber);
    }

    [Fact]
    public void AnIdRecordedInAnotherCommunityIsNotRecordedAgainNorShown()
    {
        GivenBilled(Billing.TwoCommunities());
        var north = NewPayment("north-1-0101", November15, 5m);
        Record(north);

        var south = Record(north with { CommunityId = "south", UnitId = "south-1-0101" });

        Assert.Equal(new PaymentRecording(RecordOutcome.AlreadyRecorded, null), south);
        Assert.Null(Store.Find("south", north.Id));
        Assert.Empty(Store.LatestFor("south", "south-1-0101", 10));
        Assert.All(Fees.Totals("south"), t => Assert.Equal(0m, t.Prepaid));
    }

    [Fact]
    public void ALineAskingMoreThanItsBillOwesChangesNothingAtAll()
    {
        GivenBilled(Billing.TwoCommunities());
        var version = Fees.TotalsVersion("north");
        var totals = Fees.Totals("north").OrderBy(t => t.Id).ToList();
        var bills = Fees.BillsFor("north", "north-1-0101");
        var tooMuch = NewPayment("north-1-0101", November15, 0,
            Line("north-1-0101", Billing.September, BillKind.Parking, 150.00m),
            Line("north-1-0101", Billing.October, BillKind.PropertyFee, 300.01m));
        var alreadyPaid = NewPayment("north-1-0101", November15, 0,
            Line("north-1-0101", Billing.September, BillKind.PropertyFee, 0.01m));

        Assert.Equal(new PaymentRecording(RecordOutcome.BillsChanged, null), Record(tooMuch));
        Assert.Equal(new PaymentRecording(RecordOutcome.BillsChanged, null), Record(alreadyPaid));

        Assert.Equal(bills, Fees.BillsFor("north", "north-1-0101"));
        Assert.Null(Store.Find("north", tooMuch.Id));
        Assert.Empty(Store.LatestFor("north", "north-1-0101", 10));
        Assert.Equal(version, Fees.TotalsVersion("north"));
        Assert.Equal(totals, Fees.Totals("north").OrderBy(t => t.Id));
        Assert.Equal(3, Fees.UnpaidBillsFor("north", "north-1-0101").Count);
        Assert.Equal("SK-20261115-0001", Record(NewPayment("north-1-0101", November15, 1m)).Payment!.ReceiptNumber);
    }

    [Fact]
    public void AFlatsPaymentsAreFoundInItsCommunityLatestFirst()
    {
        GivenBilled(Billing.TwoCommunities());
        var days = Enumerable.Range(0, 4).Select(d => NewPayment("north-1-0101", November15.AddDays(d), d + 1m));
        var mine = days.ToList();
        foreach (var payment in mine.OrderBy(_ => Random.Shared.Next())) Record(payment);
        Record(NewPayment("north-2-0201", November15.AddDays(9), 9m));

        Assert.Equal([mine[3].Id, mine[2].Id], Store.LatestFor("north", "north-1-0101", 2).Select(p => p.Id));
        Assert.Equal(4, Store.LatestFor("north", "north-1-0101", 10).Count);
        Assert.Empty(Store.LatestFor("south", "north-1-0101", 10));
        Assert.NotNull(Store.Find("north", mine[0].Id));
        Assert.Null(Store.Find("south", mine[0].Id));
        Assert.Null(Store.Find("north", "wechat:nothing"));
    }

    [Fact]
    public void EveryFieldOfAPaymentRoundTrips()
    {
        GivenBilled(Billing.TwoCommunities());
        var payment = NewPayment("north-2-0201", new DateTimeOffset(2026, 11, 3, 8, 7, 6, 789, TimeSpan.Zero), 12.34m,
            Line("north-2-0201", Billing.October, BillKind.PropertyFee, 156.36m)) with
        {
            Id = "bank:20261103-000042",
            Method = PaymentMethod.BankTransfer,
            Source = "bank",
        };

        var recorded = Record(payment).Payment!;

        AssertSamePayment(payment with { ReceiptNumber = "SK-20261103-0001" }, recorded);
        var found = Store.Find("north", payment.Id)!;
        AssertSamePayment(recorded, found);
        Assert.Equal(payment.PaidAt, found.PaidAt);
        Assert.Equal((156.36m, 12.34m), (found.Amount, found.Prepaid));
    }

    [Fact]
    public void TheTotalsAfterPaymentsAreWhatBuildingThemFromTheBillsAndPaymentsGives()
    {
        var bills = Billing.TwoCommunities();
        GivenBilled(bills);
        var endOfOctober = new DateTimeOffset(2026, 10, 31, 23, 0, 0, ChinaTime.Offset);
        List<Payment> payments =
        [
            // Everything the flat owes and some ahead, paid in November.
            NewPayment("north-1-0101", November15, 50.00m,
                Line("north-1-0101", Billing.September, BillKind.Parking, 150.00m),
                Line("north-1-0101", Billing.October, BillKind.PropertyFee, 300.00m),
                Line("north-1-0101", Billing.October, BillKind.Parking, 150.00m)),
            // October's rest, paid in October: collected in its own month, nothing recovered.
            NewPayment("north-2-0201", endOfOctober, 0,
                Line("north-2-0201", Billing.October, BillKind.PropertyFee, 156.36m)),
            NewPayment("north-2-0201", November15, 20.00m),
        ];
        foreach (var payment in payments) Assert.Equal(RecordOutcome.Recorded, Record(payment).Outcome);

        var units = bills.Where(b => b.CommunityId == "north").Select(b => b.UnitId).Distinct().ToList();
        var billsNow = units.SelectMany(u => Fees.BillsFor("north", u)).ToList();
        var (expected, arrears) = FeeTotalsBook.Build("north", billsNow, payments, BuildingOf);

        Assert.Equal(expected.OrderBy(t => t.Id), Fees.Totals("north").OrderBy(t => t.Id));
        Assert.All(units, u => Assert.Empty(Fees.UnpaidBillsFor("north", u)));
        Assert.All(arrears, a => Assert.Empty(a.Unpaid));
        var november = Fees.Totals("north").Single(t => t.Id == "north/2026-11");
        Assert.Equal((600.00m, 70.00m), (november.Recovered, november.Prepaid));
        var october = Fees.Totals("north").Single(t => t.Id == "north/2026-10");
        Assert.Equal((706.37m, 706.37m, 2, 0m), (october.Paid, october.Due, october.UnitsSettled, october.Recovered));
    }

    [Fact]
    public void ReceiptsTakenTogetherHaveNoGapsNorDuplicates()
    {
        GivenBilled(Billing.TwoCommunities());
        var version = Fees.TotalsVersion("north");

        var receipts = Enumerable.Range(0, 20).AsParallel()
            .Select(i => Record(NewPayment(i % 2 == 0 ? "north-1-0101" : "north-2-0201", November15, 1m)))
            .Select(r => r.Payment!.ReceiptNumber)
            .ToList();

        Assert.Equal(Enumerable.Range(1, 20).Select(n => Receipts.Number("20261115", n)), receipts.Order());
        Assert.Equal(20m, Fees.Totals("north").Single(t => t.Id == "north/2026-11").Prepaid);
        Assert.True(Fees.TotalsVersion("north") >= version + 20);
    }

    [Fact]
    public void PaymentsRacingForAFlatsBillsPayEachOnceAndKeepTheTotalsTrue()
    {
        var bills = Billing.TwoCommunities();
        GivenBilled(bills);
        // Two of each: the month's two bills paid by payments landing together, each bill by one payment only.
        var payments = new[] { BillKind.PropertyFee, BillKind.Parking, BillKind.PropertyFee, BillKind.Parking }
            .Select(kind => NewPayment("north-1-0101", November15, 0,
                Line("north-1-0101", Billing.October, kind, kind == BillKind.Parking ? 150.00m : 300.00m)))
            .ToList();

        var outcomes = payments.AsParallel().Select(p => (Payment: p, Record(p).Outcome)).ToList();

        var recorded = outcomes.Where(o => o.Outcome == RecordOutcome.Recorded).Select(o => o.Payment).ToList();
        Assert.Equal(2, recorded.Count);
        Assert.Equal(2, outcomes.Count(o => o.Outcome == RecordOutcome.BillsChanged));
        Assert.Equal((300.00m, 150.00m), (BillOf("north-1-0101", Billing.October, BillKind.PropertyFee).AmountPaid,
            BillOf("north-1-0101", Billing.October, BillKind.Parking).AmountPaid));
        var units = bills.Where(b => b.CommunityId == "north").Select(b => b.UnitId).Distinct();
        var (expected, _) = FeeTotalsBook.Build("north", units.SelectMany(u => Fees.BillsFor("north", u)), recorded,
            BuildingOf);
        Assert.Equal(expected.OrderBy(t => t.Id), Fees.Totals("north").OrderBy(t => t.Id));
        Assert.Equal(1, Fees.Totals("north").Single(t => t.Id == "north/2026-10").UnitsSettled);
    }
}

public sealed class LitePaymentStoreTests : PaymentStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LitePaymentStoreTests()
    {
        Store = new LitePaymentStore(_db);
        Fees = new LiteFeeStore(_db);
    }

    protected override IPaymentStore Store { get; }
    protected override IFeeStore Fees { get; }

    protected override void GivenBilled(IReadOnlyList<Bill> bills) => LiteBilling.Given(_db, bills);

    public void Dispose() => _db.Dispose();
}

public sealed class PgPaymentStoreTests : PaymentStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IPaymentStore Store => field ??= new PgPaymentStore(_postgres.Db);
    protected override IFeeStore Fees => field ??= new PgFeeStore(_postgres.Db);

    protected override void GivenBilled(IReadOnlyList<Bill> bills) => new PgFeeStore(_postgres.Db).Load(bills, []);

    public void Dispose() => _postgres.Dispose();
}
