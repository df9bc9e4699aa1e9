using LiteDB;
using Linli.Calendar;
using Linli.Fees;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Bills, each query through an index (see <see cref="LinliDatabase.Indexes"/>), and the totals by community.
/// </summary>
public sealed class LiteFeeStore(LinliDatabase db) : IFeeStore
{
    public IReadOnlyList<Bill> BillsFor(string communityId, string unitId) =>
        db.Bills.Find(b => b.UnitId == unitId)
            .Where(b => b.CommunityId == communityId)
            .OrderBy(b => b.Period)
            .ThenBy(b => b.Kind)
            .ToList();

    public IReadOnlyList<Bill> BillsFor(string communityId, string unitId, Period period) =>
        db.Bills.Find(UnitPeriodFilter(unitId, period))
            .Where(b => b.CommunityId == communityId)
            .OrderBy(b => b.Kind)
            .ToList();

    public IReadOnlyList<Bill> BillsOfMonth(string communityId, Period period) =>
        db.Bills.Find(CommunityPeriodFilter(communityId, period)).ToList();

    public IReadOnlyList<Bill> UnpaidBillsFor(string communityId, string unitId) =>
        db.FlatArrears.FindById(unitId) is { } arrears && arrears.CommunityId == communityId ? arrears.Unpaid : [];

    public int TotalsVersion(string communityId) => LiteFeeTotals.Version(db, communityId);

    public IReadOnlyList<FeeTotals> Totals(string communityId) =>
        db.FeeTotals.Find(t => t.CommunityId == communityId).ToList();

    // Expression indexes are only used when the query repeats the index's expression; the value goes
    // in as a parameter so LiteDB compiles and caches the query text once, not once per unit.
    public static BsonExpression UnitPeriodFilter(string unitId, Period period) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.UnitPeriodExpression} = @0",
            new BsonValue($"{unitId}/{period}"));

    /// <summary>Every bill of a community: a range of the same index, over all its months.</summary>
    public static BsonExpression CommunityFilter(string communityId) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.CommunityPeriodExpression} BETWEEN @0 AND @1",
            new BsonValue($"{communityId}/0000-00"), new BsonValue($"{communityId}/9999-99"));

    public static BsonExpression CommunityPeriodFilter(string communityId, Period period) =>
        BsonExpression.Create($"{LinliDatabase.Indexes.CommunityPeriodExpression} = @0",
            new BsonValue($"{communityId}/{period}"));
}
