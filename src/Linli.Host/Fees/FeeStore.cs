using LiteDB;
using Linli.Storage;

namespace Linli.Fees;

/// <param name="Units">Flats billed in the month.</param><param name="UnitsSettled">Flats whose every bill of the month is paid.</param>
/// <param name="Recovered">Received in the month toward earlier months (清欠).</param><param name="Prepaid">Received beyond any bill (预收).</param>
public sealed record CollectionRate(Period Period, decimal Due, decimal Paid, int Units = 0, int UnitsSettled = 0, decimal Recovered = 0, decimal Prepaid = 0)
{
    /// <summary>收缴率 by amount: the share of what was billed that has been paid, 0–1 (1 when nothing was billed).</summary>
    public decimal Rate => Due == 0 ? 1m : decimal.Round(Paid / Due, 4);

    /// <summary>收缴率 by household: flats fully paid over flats billed.</summary>
    public decimal HouseholdRate => Units == 0 ? 1m : decimal.Round((decimal)UnitsSettled / Units, 4);
}

/// <summary>Bill queries. Each goes through an index; see <see cref="LinliDatabase.Indexes"/>.</summary>
public sealed class FeeStore(LinliDatabase db)
{
    public IReadOnlyList<Bill> BillsFor(string unitId, Period period) =>
        db.Bills.Find(UnitPeriodFilter(unitId, period)).ToList();

    public IReadOnlyList<Bill> BillsFor(string unitId) =>
        db.Bills.Find(b => b.UnitId == unitId).OrderBy(b => b.Period).ThenBy(b => b.Kind).ToList();

    /// <summary>A month's collection, read from the running totals (one document), never from the bills.</summary>
    public CollectionRate CollectionRate(string communityId, Period period, string? buildingId = null) =>
        db.FeeTotals.FindById(FeeTotals.IdFor(communityId, period, buildingId)) is { } t
            ? new CollectionRate(period, t.Due, t.Paid, t.Units, t.UnitsSettled, t.Recovered, t.Prepaid)
            : new CollectionRate(period, 0, 0);

    /// <summary>The same, computed from the bills themselves: what the running totals must always equal.</summary>
    public CollectionRate CollectionRateFromBills(string communityId, Period period)
    {
        var bills = db.Bills.Find(CommunityPeriodFilter(communityId, period)).ToList();
        var units = bills.GroupBy(b => b.UnitId).ToList();
        return new CollectionRate(period, bills.Sum(b => b.AmountDue), bills.Sum(b => b.AmountPaid), units.Count, units.Count(u => u.All(b => b.IsSettled)));
    }

    // Expression indexes are only used when the query repeats the index's expression; the value goes
    // in as a parameter so LiteDB compiles and caches the query text once, not once per unit.
    public static BsonExpression UnitPeriodFilter(string unitId, Period period) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.UnitPeriodExpression} = @0", new BsonValue($"{unitId}/{period}"));

    public static BsonExpression CommunityPeriodFilter(string communityId, Period period) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.CommunityPeriodExpression} = @0", new BsonValue($"{communityId}/{period}"));
}
