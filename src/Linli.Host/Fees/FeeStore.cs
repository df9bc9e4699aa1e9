using LiteDB;
using Linli.Storage;

namespace Linli.Fees;

public sealed record CollectionRate(Period Period, decimal Due, decimal Paid)
{
    /// <summary>收缴率: the share of what was billed that has been paid, 0–1 (1 when nothing was billed).</summary>
    public decimal Rate => Due == 0 ? 1m : decimal.Round(Paid / Due, 4);
}

/// <summary>Bill queries. Each goes through an index; see <see cref="LinliDatabase.Indexes"/>.</summary>
public sealed class FeeStore(LinliDatabase db)
{
    public IReadOnlyList<Bill> BillsFor(string unitId, Period period) =>
        db.Bills.Find(UnitPeriodFilter(unitId, period)).ToList();

    public IReadOnlyList<Bill> BillsFor(string unitId) =>
        db.Bills.Find(b => b.UnitId == unitId).OrderBy(b => b.Period).ThenBy(b => b.Kind).ToList();

    public CollectionRate CollectionRate(string communityId, Period period)
    {
        decimal due = 0, paid = 0;
        foreach (var bill in db.Bills.Find(CommunityPeriodFilter(communityId, period)))
        {
            due += bill.AmountDue;
            paid += bill.AmountPaid;
        }
        return new CollectionRate(period, due, paid);
    }

    // Expression indexes are only used when the query repeats the index's expression; the value goes
    // in as a parameter so LiteDB compiles and caches the query text once, not once per unit.
    public static BsonExpression UnitPeriodFilter(string unitId, Period period) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.UnitPeriodExpression} = @0", new BsonValue($"{unitId}/{period}"));

    public static BsonExpression CommunityPeriodFilter(string communityId, Period period) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.CommunityPeriodExpression} = @0", new BsonValue($"{communityId}/{period}"));
}
