using LiteDB;
using Linli.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace Linli.Fees;

/// <param name="Units">Flats billed in the month.</param>
/// <param name="UnitsSettled">Flats whose every bill of the month is paid.</param>
/// <param name="Recovered">Received in the month toward earlier months (清欠).</param>
/// <param name="Prepaid">Received beyond any bill (预收).</param>
public sealed record CollectionRate(
    Period Period,
    decimal Due,
    decimal Paid,
    int Units = 0,
    int UnitsSettled = 0,
    decimal Recovered = 0,
    decimal Prepaid = 0)
{
    /// <summary>
    /// 收缴率 by amount: the share of what was billed that has been paid, 0–1 (1 when nothing was billed).
    /// </summary>
    public decimal Rate => Due == 0 ? 1m : decimal.Round(Paid / Due, 4);

    /// <summary>收缴率 by household: flats fully paid over flats billed.</summary>
    public decimal HouseholdRate => Units == 0 ? 1m : decimal.Round((decimal)UnitsSettled / Units, 4);
}

/// <summary>Every month's totals of one community (and of each of its buildings) at one version.</summary>
public sealed class CommunityTotals(string communityId, int version, IEnumerable<FeeTotals> totals)
{
    private readonly Dictionary<string, CollectionRate> _months = totals.ToDictionary(
        t => t.Id,
        t => new CollectionRate(t.Period, t.Due, t.Paid, t.Units, t.UnitsSettled, t.Recovered, t.Prepaid));

    public int Version => version;

    /// <summary>The month's collection (nothing billed: zeros).</summary>
    public CollectionRate Month(Period period, string? buildingId = null) =>
        _months.GetValueOrDefault(FeeTotals.IdFor(communityId, period, buildingId)) ?? new CollectionRate(period, 0, 0);
}

/// <summary>Bill queries. Each goes through an index; see <see cref="LinliDatabase.Indexes"/>.</summary>
public sealed class FeeStore(LinliDatabase db) : IDisposable
{
    /// <summary>
    /// The running totals of the communities read lately, each under the version it was read at. A dashboard reads
    /// a few dozen months and buildings; one small read of the version instead of one read each keeps it near a
    /// millisecond in a city-sized file.
    /// </summary>
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 2_000 });


    public IReadOnlyList<Bill> BillsFor(string unitId, Period period) =>
        db.Bills.Find(UnitPeriodFilter(unitId, period)).ToList();

    /// <summary>The flat's unpaid bills, oldest first, from one document kept as payments land.</summary>
    public IReadOnlyList<Bill> UnpaidBillsFor(string unitId) =>
        db.FlatArrears.FindById(unitId)?.Unpaid ?? [];

    public IReadOnlyList<Bill> BillsFor(string unitId) =>
        db.Bills.Find(b => b.UnitId == unitId).OrderBy(b => b.Period).ThenBy(b => b.Kind).ToList();

    /// <summary>A month's collection, read from the running totals, never from the bills.</summary>
    public CollectionRate CollectionRate(string communityId, Period period, string? buildingId = null) =>
        Totals(communityId).Month(period, buildingId);

    /// <summary>
    /// The community's totals as last written, to read several months from. The version is read first: a payment
    /// landing between the two reads leaves newer totals under the older version, read again next time, never older
    /// totals under the newer one.
    /// </summary>
    public CommunityTotals Totals(string communityId)
    {
        var version = FeeTotalsBook.Version(db, communityId);
        if (_recent.TryGetValue(communityId, out CommunityTotals? kept) && kept!.Version == version) return kept;
        var read = new CommunityTotals(communityId, version, db.FeeTotals.Find(t => t.CommunityId == communityId));
        _recent.Set(communityId, read, new MemoryCacheEntryOptions
        {
            Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30),
        });
        return read;
    }

    public void Dispose() => _recent.Dispose();

    /// <summary>The same, computed from the bills themselves: what the running totals must always equal.</summary>
    public CollectionRate CollectionRateFromBills(string communityId, Period period)
    {
        var bills = db.Bills.Find(CommunityPeriodFilter(communityId, period)).ToList();
        var units = bills.GroupBy(b => b.UnitId).ToList();
        return new CollectionRate(period, bills.Sum(b => b.AmountDue), bills.Sum(b => b.AmountPaid),
            units.Count, units.Count(u => u.All(b => b.IsSettled)));
    }

    // Expression indexes are only used when the query repeats the index's expression; the value goes
    // in as a parameter so LiteDB compiles and caches the query text once, not once per unit.
    public static BsonExpression UnitPeriodFilter(string unitId, Period period) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.UnitPeriodExpression} = @0", new BsonValue($"{unitId}/{period}"));

    /// <summary>Every bill of a community: a range of the same index, over all its months.</summary>
    public static BsonExpression CommunityFilter(string communityId) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.CommunityPeriodExpression} BETWEEN @0 AND @1",
            new BsonValue($"{communityId}/0000-00"), new BsonValue($"{communityId}/9999-99"));

    public static BsonExpression CommunityPeriodFilter(string communityId, Period period) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.CommunityPeriodExpression} = @0", new BsonValue($"{communityId}/{period}"));
}
