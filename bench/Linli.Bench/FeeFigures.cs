using System.Diagnostics;
using Linli.Calendar;
using Linli.Fees;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Transparency;

namespace Linli.Bench;

/// <summary>
/// The office dashboard's fee figures (collection by month and building, the year so far, arrears by age) and a
/// resident's fee answers (their arrears, the community's collection rate), over a city of bills
/// (<c>LINLI_BENCH_COMMUNITIES</c>=70 is ~4.8 million). Read from the running totals, against the same numbers counted
/// from the bills in the same run (the baseline); the two are checked equal before anything is timed.
/// </summary>
public static class FeeFigures
{
    private static readonly Period Through = new(2026, 10);
    private static readonly DateOnly AsOf = new(2026, 11, 15);

    public static int Run(int samples)
    {
        var clock = Stopwatch.StartNew();
        using var db = BenchDatabase.Open();
        var communities = db.Communities.FindAll().Select(c => c.Id).ToList();
        Console.WriteLine($"{db.Bills.LongCount():N0} bills in {communities.Count} communities " +
            $"({clock.Elapsed.TotalSeconds:F0} s to open or seed)");
        var time = new FixedTime(new DateTimeOffset(AsOf.ToDateTime(new TimeOnly(10, 0)), ChinaTime.Offset));
        var fees = new LiteFeeStore(db);
        using var reports = new FeeReports(fees);
        var dashboard = new FeeDashboard(new LiteCommunityStore(db), reports, time);
        var units = db.Units.Query().Select(u => u.Id).ToList();
        var rng = new Random(7);

        // Same numbers both ways, or the comparison means nothing.
        foreach (var community in communities.OrderBy(_ => rng.Next()).Take(5))
        {
            var kept = Office(dashboard, community);
            var counted = FromBills(db, community);
            if (!kept.SequenceEqual(counted))
                throw new InvalidOperationException($"{community}: totals and bills disagree:\n" +
                    $"{string.Join(",", kept)}\n{string.Join(",", counted)}");
        }

        foreach (var unit in units.OrderBy(_ => rng.Next()).Take(200))
            if (Resident(fees, reports, unit, fromBills: false) != Resident(fees, reports, unit, fromBills: true))
                throw new InvalidOperationException($"{unit}: kept arrears and rates disagree with the bills");

        var (officeTotals, officeBills) = (new List<double>(), new List<double>());
        var (residentTotals, residentBills) = (new List<double>(), new List<double>());
        // Alternating in rounds: a hundred requests from the totals, then ten counted from the bills (slow: a tenth of
        // the samples is plenty for their median and p99), then a collection so the bills' garbage is not charged to
        // the totals.
        // Warm up first: every community's totals and the index pages, as a running Linli would have them.
        foreach (var community in communities) Office(dashboard, community);
        for (var i = 0; i < samples / 2; i++) Resident(fees, reports, units[rng.Next(units.Count)], fromBills: false);
        for (var i = 0; i < samples; i++)
        {
            var community = communities[rng.Next(communities.Count)];
            var unit = units[rng.Next(units.Count)];
            officeTotals.Add(Time(() => Office(dashboard, community)));
            residentTotals.Add(Time(() => Resident(fees, reports, unit, fromBills: false)));
            if (i % 100 != 99) continue;
            for (var j = 0; j < 10; j++)
            {
                var (other, flat) = (communities[rng.Next(communities.Count)], units[rng.Next(units.Count)]);
                officeBills.Add(Time(() => FromBills(db, other)));
                residentBills.Add(Time(() => Resident(fees, reports, flat, fromBills: true)));
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Report("office fee figures, from running totals", officeTotals, officeBills);
        Report("resident fee answers, from running totals", residentTotals, residentBills);
        return 0;
    }

    /// <summary>Every number the office dashboard's fee charts show, in a fixed order.</summary>
    private static List<decimal> Office(FeeDashboard dashboard, string community)
    {
        var (charts, headlines) = (new List<Chart>(), new List<Headline>());
        dashboard.Add(community, Through, office: true, charts, headlines);
        return [.. charts.SelectMany(c => c.Series.SelectMany(s => s.Values))];
    }

    /// <summary>
    /// The same numbers, counted from the community's bills (24 months through the CommunityPeriod index).
    /// </summary>
    private static List<decimal> FromBills(LinliDatabase db, string community)
    {
        var bills = new List<Bill>();
        for (var p = Through; ; p = p.AddMonths(-1))
        {
            var month = db.Bills.Find(LiteFeeStore.CommunityPeriodFilter(community, p)).ToList();
            if (month.Count == 0) break;
            bills.AddRange(month);
        }
        static (decimal Amount, decimal Household) Rate(IEnumerable<Bill> list)
        {
            var all = list.ToList();
            var flats = all.GroupBy(b => b.UnitId).ToList();
            var due = all.Sum(b => b.AmountDue);
            return (due == 0 ? 1m : decimal.Round(all.Sum(b => b.AmountPaid) / due, 4),
                flats.Count == 0
                    ? 1m
                    : decimal.Round((decimal)flats.Count(f => f.All(b => b.IsSettled)) / flats.Count, 4));
        }
        var months = Enumerable.Range(0, 12)
            .Select(i => Through.AddMonths(i - 11))
            .Select(p => Rate(bills.Where(b => b.Period == p)))
            .ToList();
        var buildings = db.Buildings.Find(b => b.CommunityId == community).OrderBy(b => b.Number).ToList();
        var byBuilding = buildings
            .Select(b => Rate(bills.Where(x => x.Period == Through && x.BuildingId == b.Id)))
            .ToList();
        decimal[] Ageing(IEnumerable<Bill> list)
        {
            var owed = list.Where(b => !b.IsSettled && AsOf.DayNumber - b.DueDate.DayNumber >= 1).ToList();
            return [.. FeeReports.Ages.Select(a => owed
                .Where(b => AsOf.DayNumber - b.DueDate.DayNumber is var d && d >= a.From && (a.To is null || d <= a.To))
                .Sum(b => b.Outstanding))];
        }
        return
        [
            .. months.Select(m => m.Amount), .. months.Select(m => m.Household),
            .. byBuilding.Select(m => m.Amount), .. byBuilding.Select(m => m.Household),
            .. Ageing(bills),
        ];
    }

    /// <summary>
    /// "我欠多少" and "小区收缴率多少": the flat's unpaid bills, and the month's and the year's rates; from
    /// the flat's kept arrears and the running totals, or from its bills and the community's.
    /// </summary>
    private static decimal Resident(IFeeStore fees, FeeReports reports, string unitId, bool fromBills)
    {
        var community = unitId[..unitId.IndexOf('-')];
        var owed = fromBills
            ? fees.BillsFor(community, unitId).Where(b => !b.IsSettled).Sum(b => b.Outstanding)
            : fees.UnpaidBillsFor(community, unitId).Sum(b => b.Outstanding);
        if (!fromBills)
            return owed + reports.CollectionRate(community, Through).Rate + reports.YearToDate(community, Through).Rate;
        var year = Enumerable.Range(1, Through.Month)
            .Select(m => reports.CollectionRateFromBills(community, new Period(Through.Year, m)))
            .ToList();
        var monthRate = reports.CollectionRateFromBills(community, Through).Rate;
        var yearRate = decimal.Round(year.Sum(y => y.Paid) / year.Sum(y => y.Due), 4);
        return owed + monthRate + yearRate;
    }

    private static double Time<T>(Func<T> work)
    {
        var start = Stopwatch.GetTimestamp();
        GC.KeepAlive(work());
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static void Report(string name, List<double> totals, List<double> bills)
    {
        static double P(List<double> s, double q) =>
            s.Order().ElementAt((int)Math.Min(s.Count - 1, Math.Floor(q * s.Count)));
        Console.WriteLine($"{name,-45} n={totals.Count} median={P(totals, 0.5):F3} ms p99={P(totals, 0.99):F3} ms; " +
                          $"from bills n={bills.Count} median={P(bills, 0.5):F1} ms p99={P(bills, 0.99):F1} ms " +
                          $"(totals ×{P(totals, 0.5) / P(bills, 0.5):F4} median, " +
                          $"×{P(totals, 0.99) / P(bills, 0.99):F4} p99 of bills)");
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
