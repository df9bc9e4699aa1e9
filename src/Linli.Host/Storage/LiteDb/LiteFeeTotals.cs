using System.Globalization;
using Linli.Fees;

namespace Linli.Storage.LiteDb;

/// <summary>
/// The running totals and flats' arrears as LiteDB keeps them: the fee_totals and flat_arrears collections, and a
/// version per community in the settings ("fee-totals|{community}").
/// </summary>
public static class LiteFeeTotals
{
    public static int Version(LinliDatabase db, string communityId) =>
        db.Settings.FindById(VersionKey(communityId)) is { } v ? int.Parse(v.Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>Call inside the transaction that changed the totals.</summary>
    public static void NextVersion(LinliDatabase db, string communityId) => db.NextNumber(VersionKey(communityId));

    private static string VersionKey(string communityId) => $"fee-totals|{communityId}";

    /// <summary>
    /// Builds the totals of every community that has bills and no totals yet (a file from before they existed).
    /// </summary>
    public static int EnsureBuilt(LinliDatabase db)
    {
        var built = 0;
        foreach (var community in db.Communities.FindAll().Select(c => c.Id).ToList())
        {
            var kept = db.FeeTotals.Exists(t => t.CommunityId == community)
                && db.FlatArrears.Exists(a => a.CommunityId == community);
            if (!kept && db.Bills.Exists(LiteFeeStore.CommunityFilter(community)))
            {
                Build(db, community);
                built++;
            }
        }
        return built;
    }

    /// <summary>A community's totals and its flats' arrears, computed anew from its bills and payments.</summary>
    /// <returns>How many totals it wrote.</returns>
    public static int Build(LinliDatabase db, string communityId) => db.InTransaction(() =>
    {
        var bills = db.Bills.Find(LiteFeeStore.CommunityFilter(communityId)).ToList();
        // A flat's building from the units; from its bills for one the units do not list.
        var buildings = db.Units.Find(u => u.CommunityId == communityId).ToDictionary(u => u.Id, u => u.BuildingId);
        foreach (var bill in bills) buildings.TryAdd(bill.UnitId, bill.BuildingId);
        var payments = db.Payments.Find(p => p.CommunityId == communityId);
        var (totals, arrears) = FeeTotalsBook.Build(communityId, bills, payments, unit => buildings[unit]);
        db.FeeTotals.DeleteMany(t => t.CommunityId == communityId);
        db.FlatArrears.DeleteMany(a => a.CommunityId == communityId);
        db.FeeTotals.InsertBulk(totals);
        db.FlatArrears.InsertBulk(arrears);
        NextVersion(db, communityId);
        return totals.Count;
    });

    /// <summary>Adds <paramref name="changes"/> to the totals of their ids, inside the payment's transaction.</summary>
    public static void Add(LinliDatabase db, IEnumerable<FeeTotals> changes)
    {
        foreach (var change in changes)
        {
            var current = db.FeeTotals.FindById(change.Id)
                ?? FeeTotals.Zero(change.CommunityId, change.Period, change.BuildingId);
            db.FeeTotals.Upsert(current.Plus(change));
        }
    }
}
