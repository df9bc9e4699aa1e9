using Linli.Calendar;
using Linli.Fees;
using Linli.Fees.Payments;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Fees;

/// <summary>Collection rates come from running totals; they must always equal what the bills themselves say.</summary>
public sealed class FeeTotalsTests : IDisposable
{
    private readonly LinliAppFactory _app =
        new(new() { ["Demo:SyntheticCommunities"] = "2", ["Demo:SyntheticUnits"] = "80" });

    public void Dispose() => _app.Dispose();

    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();
    private IFeeStore Fees => _app.Services.GetRequiredService<IFeeStore>();
    private FeeReports Reports => _app.Services.GetRequiredService<FeeReports>();

    private void AssertTotalsMatchTheBills()
    {
        foreach (var community in Db.Communities.FindAll().Select(c => c.Id).ToList())
            foreach (var period in Db.Bills.Find(b => b.CommunityId == community)
                         .Select(b => b.Period)
                         .Distinct()
                         .ToList())
            {
                var kept = Reports.CollectionRate(community, period);
                var counted = Reports.CollectionRateFromBills(community, period);
                Assert.Equal((counted.Due, counted.Paid, counted.Units, counted.UnitsSettled),
                    (kept.Due, kept.Paid, kept.Units, kept.UnitsSettled));
                var buildings = Db.FeeTotals
                    .Find(t => t.CommunityId == community && t.Period == period && t.BuildingId != null)
                    .ToList();
                Assert.Equal((kept.Due, kept.Paid, kept.Units),
                    (buildings.Sum(b => b.Due), buildings.Sum(b => b.Paid), buildings.Sum(b => b.Units)));
            }
    }

    /// <summary>Each flat's kept arrears are its unpaid bills, as they are now.</summary>
    private void AssertArrearsMatchTheBills()
    {
        foreach (var unit in Db.Units.FindAll().ToList())
            Assert.Equal(
                Fees.BillsFor(unit.CommunityId, unit.Id).Where(b => !b.IsSettled).Select(b => (b.Id, b.Outstanding)),
                Fees.UnpaidBillsFor(unit.CommunityId, unit.Id).Select(b => (b.Id, b.Outstanding)));
    }

    [Fact]
    public void EveryCommunityMonthOfTheSeededEstatesMatchesItsBills()
    {
        AssertTotalsMatchTheBills();
        AssertReportsMatchTheBills();
        AssertArrearsMatchTheBills();
    }

    /// <summary>
    /// Year to date and arrears ageing, from the totals, against the same numbers counted over every bill.
    /// </summary>
    private void AssertReportsMatchTheBills()
    {
        foreach (var community in Db.Communities.FindAll().Select(c => c.Id).ToList())
        {
            var bills = Db.Bills.Find(b => b.CommunityId == community).ToList();
            var last = bills.Max(b => b.Period);
            foreach (var through in new[] { last, last.AddMonths(-3), new Period(last.Year - 1, 12) })
            {
                var year = bills.Where(b => b.Period.Year == through.Year && b.Period <= through).ToList();
                var flatMonths = year.GroupBy(b => (b.UnitId, b.Period)).ToList();
                var ytd = Reports.YearToDate(community, through);
                Assert.Equal((year.Sum(b => b.AmountDue), year.Sum(b => b.AmountPaid), flatMonths.Count,
                        flatMonths.Count(m => m.All(b => b.IsSettled))),
                    (ytd.Due, ytd.Paid, ytd.FlatMonths, ytd.FlatMonthsSettled));
            }
            var asOfDates = new[]
            {
                last.LastDay.AddDays(1), last.LastDay.AddDays(31), last.LastDay.AddDays(400), last.LastDay,
            };
            foreach (var asOf in asOfDates)
            {
                var ageing = Reports.Ageing(community, asOf);
                foreach (var bucket in ageing.Buckets)
                {
                    var owed = bills.Where(b => !b.IsSettled && asOf.DayNumber - b.DueDate.DayNumber is var days &&
                        days >= bucket.FromDays && (bucket.ToDays is null || days <= bucket.ToDays)).ToList();
                    Assert.Equal(owed.Sum(b => b.Outstanding), bucket.Amount);
                    Assert.Equal(owed.Select(b => (b.UnitId, b.Period)).Distinct().Count(), bucket.FlatMonths);
                }
                Assert.Equal(bills.Where(b => !b.IsSettled && b.DueDate < asOf).Sum(b => b.Outstanding), ageing.Total);
            }
        }
    }

    [Fact]
    public void PaymentsKeepTheTotalsEqualToTheBillsAndARebuildAgrees()
    {
        var ledger = _app.Services.GetRequiredService<PaymentLedger>();
        // Read once before: the store keeps what it read, and must see every payment after it.
        AssertTotalsMatchTheBills();
        var random = new Random(7);
        var owing = Db.Bills.FindAll()
            .Where(b => !b.IsSettled)
            .Select(b => b.UnitId)
            .Distinct()
            .OrderBy(u => u)
            .ToList();
        decimal Kept(Func<FeeTotals, decimal> amount) => Db.FeeTotals.Find(t => t.BuildingId == null).Sum(amount);
        var (recoveredBefore, prepaidBefore) = (Kept(t => t.Recovered), Kept(t => t.Prepaid));
        decimal recovered = 0, prepaid = 0;
        foreach (var unitId in owing.Take(60))
        {
            var unit = Db.Units.FindById(unitId);
            var open = Db.Bills.Find(b => b.UnitId == unitId).Where(b => !b.IsSettled).OrderBy(b => b.Period).ToList();
            var amount = random.Next(3) switch
            {
                0 => open[0].Outstanding,                                   // the oldest bill exactly
                1 => decimal.Round(open.Sum(b => b.Outstanding) / 2, 2),    // part of what is owed
                _ => open.Sum(b => b.Outstanding) + 88.8m,                  // everything, and some ahead
            };
            var payment = ledger.Record(unit.CommunityId, unit.Label, amount, PaymentMethod.WeChatPay, null).Payment;
            recovered += payment.Lines.Sum(l => l.Amount);   // every bill is from a month before today's
            prepaid += payment.Prepaid;
        }
        AssertTotalsMatchTheBills();
        AssertReportsMatchTheBills();
        AssertArrearsMatchTheBills();
        // Paid today for months gone: arrears recovered this month; beyond every bill: prepayment, in no month's rate.
        Assert.Equal(recoveredBefore + recovered, Kept(t => t.Recovered));
        Assert.True(prepaid > 0);
        Assert.Equal(prepaidBefore + prepaid, Kept(t => t.Prepaid));

        // Built again from the bills and payments, the totals are the same documents.
        var incremental = Db.FeeTotals.FindAll().OrderBy(t => t.Id).ToList();
        var arrears = Db.FlatArrears.FindAll().OrderBy(a => a.Id).SelectMany(a => a.Unpaid).ToList();
        foreach (var community in Db.Communities.FindAll().Select(c => c.Id).ToList())
            LiteFeeTotals.Build(Db, community);
        Assert.Equal(incremental, Db.FeeTotals.FindAll().OrderBy(t => t.Id).ToList());
        Assert.Equal(arrears, Db.FlatArrears.FindAll().OrderBy(a => a.Id).SelectMany(a => a.Unpaid).ToList());
    }
}
