using Linli.Calendar;
using Microsoft.Extensions.Caching.Memory;

namespace Linli.Fees;

/// <summary>
/// The year so far. The household rate counts flat-months (a flat billed for ten months counts ten times), so a
/// flat that paid nine months of ten weighs 0.9, not 0; property systems that report "households with no arrears this
/// year" would need every bill, which running totals do not keep.
/// </summary>
public sealed record YearToDate(
    int Year,
    Period Through,
    decimal Due,
    decimal Paid,
    int FlatMonths,
    int FlatMonthsSettled,
    decimal Recovered,
    decimal Prepaid)
{
    public decimal Rate => Due == 0 ? 1m : decimal.Round(Paid / Due, 4);
    public decimal HouseholdRate => FlatMonths == 0 ? 1m : decimal.Round((decimal)FlatMonthsSettled / FlatMonths, 4);
}

/// <param name="FromDays">Days past due, inclusive.</param><param name="ToDays">Inclusive; null for "and more".</param>
/// <param name="FlatMonths">Flat-months with something unpaid in the bucket.</param>
public sealed record AgeingBucket(string Name, int FromDays, int? ToDays, decimal Amount, int FlatMonths);

/// <summary>What is owed and how long ago it fell due (a month's bills fall due on its last day).</summary>
public sealed record ArrearsAgeing(DateOnly AsOf, decimal Total, AgeingBucket[] Buckets);

/// <summary>
/// Collection rates, the year so far and arrears ageing, read from the running totals (one document a month), never
/// from the bills; the totals of the communities read lately are kept under the version they were read at.
/// </summary>
public sealed class FeeReports(IFeeStore fees) : IDisposable
{
    /// <summary>
    /// The running totals of the communities read lately, each under the version it was read at. A dashboard reads
    /// a few dozen months and buildings; one small read of the version instead of one read each keeps it near a
    /// millisecond in a city-sized file. The version is in the database, so every instance on it sees every change.
    /// </summary>
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 2_000 });

    /// <summary>
    /// The buckets property offices age arrears in: within a month, a quarter, half a year, a year, longer.
    /// </summary>
    public static readonly (string Name, int From, int? To)[] Ages =
        [("≤30", 1, 30), ("31–90", 31, 90), ("91–180", 91, 180), ("181–365", 181, 365), (">365", 366, null)];

    /// <summary>Billing runs without gaps; a community's history ends at the first month with no totals.</summary>
    private const int MaxMonthsBack = 240;

    /// <summary>
    /// The community's totals as last written, to read several months from. The version is read first: a payment
    /// landing between the two reads leaves newer totals under the older version, read again next time, never older
    /// totals under the newer one.
    /// </summary>
    public CommunityTotals Totals(string communityId)
    {
        var version = fees.TotalsVersion(communityId);
        if (_recent.TryGetValue(communityId, out CommunityTotals? kept) && kept!.Version == version) return kept;
        var read = new CommunityTotals(communityId, version, fees.Totals(communityId));
        _recent.Set(communityId, read, new MemoryCacheEntryOptions
        {
            Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30),
        });
        return read;
    }

    public void Dispose() => _recent.Dispose();

    /// <summary>A month's collection, read from the running totals, never from the bills.</summary>
    public CollectionRate CollectionRate(string communityId, Period period, string? buildingId = null) =>
        Totals(communityId).Month(period, buildingId);

    /// <summary>The same, computed from the bills themselves: what the running totals must always equal.</summary>
    public CollectionRate CollectionRateFromBills(string communityId, Period period)
    {
        var bills = fees.BillsOfMonth(communityId, period);
        var units = bills.GroupBy(b => b.UnitId).ToList();
        return new CollectionRate(period, bills.Sum(b => b.AmountDue), bills.Sum(b => b.AmountPaid),
            units.Count, units.Count(u => u.All(b => b.IsSettled)));
    }

    /// <summary>
    /// The latest month up to <paramref name="upTo"/> that has bills: a month not billed yet would read as fully
    /// collected.
    /// </summary>
    public Period LastBilled(string communityId, Period upTo)
    {
        var totals = Totals(communityId);
        for (var (p, back) = (upTo, 0); back < 3; p = p.AddMonths(-1), back++)
            if (totals.Month(p).Units > 0) return p;
        return upTo;
    }

    public YearToDate YearToDate(string communityId, Period through, string? buildingId = null)
    {
        var totals = Totals(communityId);
        return YearToDate(through, p => totals.Month(p, buildingId));
    }

    /// <param name="month">A month's totals, from one <see cref="CommunityTotals"/>.</param>
    public static YearToDate YearToDate(Period through, Func<Period, CollectionRate> month)
    {
        var months = Enumerable.Range(1, through.Month).Select(m => month(new Period(through.Year, m))).ToList();
        return new YearToDate(through.Year, through,
            Due: months.Sum(m => m.Due),
            Paid: months.Sum(m => m.Paid),
            FlatMonths: months.Sum(m => m.Units),
            FlatMonthsSettled: months.Sum(m => m.UnitsSettled),
            Recovered: months.Sum(m => m.Recovered),
            Prepaid: months.Sum(m => m.Prepaid));
    }

    public ArrearsAgeing Ageing(string communityId, DateOnly asOf, string? buildingId = null)
    {
        var totals = Totals(communityId);
        return Ageing(asOf, p => totals.Month(p, buildingId));
    }

    public static ArrearsAgeing Ageing(DateOnly asOf, Func<Period, CollectionRate> month)
    {
        var buckets = Ages.Select(a => new AgeingBucket(a.Name, a.From, a.To, 0m, 0)).ToArray();
        var seen = false;
        for (var (period, back) = (Period.Of(asOf), 0); back < MaxMonthsBack; period = period.AddMonths(-1), back++)
        {
            var totals = month(period);
            if (totals.Units == 0)
            {
                if (seen) break;
                continue;
            }
            seen = true;
            var days = asOf.DayNumber - period.LastDay.DayNumber;
            var owed = totals.Due - totals.Paid;
            if (days < 1 || owed <= 0) continue;
            var i = Array.FindIndex(Ages, a => days >= a.From && (a.To is null || days <= a.To));
            var unpaidFlatMonths = totals.Units - totals.UnitsSettled;
            buckets[i] = buckets[i] with
            {
                Amount = buckets[i].Amount + owed,
                FlatMonths = buckets[i].FlatMonths + unpaidFlatMonths,
            };
        }
        return new ArrearsAgeing(asOf, buckets.Sum(b => b.Amount), buckets);
    }
}
