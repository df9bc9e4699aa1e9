using System.Globalization;
using Linli.Storage;

namespace Linli.Fees;

/// <summary>
/// Running totals of one month's bills, for a community ("{community}/{period}") or one of its buildings
/// ("{community}/{period}/{buildingId}"), kept as payments land so a collection rate never scans bills.
/// </summary>
public sealed record FeeTotals
{
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public string? BuildingId { get; init; }
    public required Period Period { get; init; }
    /// <summary>What the month's bills ask (应收).</summary>
    public decimal Due { get; init; }
    /// <summary>What has been paid toward the month's bills, whenever it was paid (实收).</summary>
    public decimal Paid { get; init; }
    /// <summary>Flats billed this month, and those whose every bill of the month is paid.</summary>
    public int Units { get; init; }
    public int UnitsSettled { get; init; }
    /// <summary>Received during this month toward earlier months' bills (清欠): not part of this month's rate.</summary>
    public decimal Recovered { get; init; }
    /// <summary>Received during this month beyond every bill owed (预收): not part of any month's rate.</summary>
    public decimal Prepaid { get; init; }

    public static string IdFor(string communityId, Period period, string? buildingId = null) =>
        buildingId is null ? $"{communityId}/{period}" : $"{communityId}/{period}/{buildingId}";
}

/// <summary>
/// A flat's unpaid bills (id: the unit's), kept as payments land so "我欠多少" reads one document, not every bill the
/// flat ever had. A flat with nothing owed keeps an empty list.
/// </summary>
public sealed record FlatArrears
{
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    /// <summary>Oldest first, as the bills were when last paid toward.</summary>
    public List<Bill> Unpaid { get; init; } = [];

    public static FlatArrears Of(string unitId, string communityId, IEnumerable<Bill> bills) => new()
    {
        Id = unitId, CommunityId = communityId,
        Unpaid = [.. bills.Where(b => !b.IsSettled).OrderBy(b => b.Period).ThenBy(b => b.Kind)],
    };
}

/// <summary>
/// Builds the totals from bills and payments, and moves them as each payment lands (inside its transaction).
/// </summary>
public static class FeeTotalsBook
{
    /// <summary>
    /// Goes up by one each time a community's totals change, in the same transaction, so a reader that kept them knows
    /// whether they are still current from one small read.
    /// </summary>
    public static int Version(LinliDatabase db, string communityId) =>
        db.Settings.FindById(VersionKey(communityId)) is { } v ? int.Parse(v.Value, CultureInfo.InvariantCulture) : 0;

    private static string VersionKey(string communityId) => $"fee-totals|{communityId}";

    /// <summary>
    /// Builds the totals of every community that has bills and no totals yet (a database from before they existed).
    /// </summary>
    public static int EnsureBuilt(LinliDatabase db)
    {
        var built = 0;
        foreach (var community in db.Communities.FindAll().Select(c => c.Id).ToList())
        {
            var kept = db.FeeTotals.Exists(t => t.CommunityId == community)
                && db.FlatArrears.Exists(a => a.CommunityId == community);
            if (!kept && db.Bills.Exists(FeeStore.CommunityFilter(community)))
            {
                Build(db, community);
                built++;
            }
        }
        return built;
    }

    /// <summary>All of a community's totals and its flats' arrears, computed from its bills and payments.</summary>
    public static void Build(LinliDatabase db, string communityId)
    {
        db.FeeTotals.DeleteMany(t => t.CommunityId == communityId);
        db.FlatArrears.DeleteMany(a => a.CommunityId == communityId);
        var flats = new List<FlatArrears>();
        var totals = new Dictionary<string, FeeTotals>();
        FeeTotals At(Period period, string? building) =>
            totals.TryGetValue(FeeTotals.IdFor(communityId, period, building), out var t) ? t
                : totals[FeeTotals.IdFor(communityId, period, building)] = new FeeTotals
                {
                    Id = FeeTotals.IdFor(communityId, period, building), CommunityId = communityId,
                    BuildingId = building, Period = period,
                };
        void Add(Period period, string building, Func<FeeTotals, FeeTotals> change)
        {
            foreach (var key in new[] { (string?)null, building })
                totals[FeeTotals.IdFor(communityId, period, key)] = change(At(period, key));
        }

        foreach (var flat in db.Bills.Find(FeeStore.CommunityFilter(communityId)).GroupBy(b => b.UnitId))
        {
            flats.Add(FlatArrears.Of(flat.Key, communityId, flat));
            foreach (var month in flat.GroupBy(b => b.Period))
            {
                var (due, paid) = (month.Sum(b => b.AmountDue), month.Sum(b => b.AmountPaid));
                var settled = month.All(b => b.IsSettled) ? 1 : 0;
                Add(month.Key, month.First().BuildingId, t => t with
                {
                    Due = t.Due + due, Paid = t.Paid + paid,
                    Units = t.Units + 1, UnitsSettled = t.UnitsSettled + settled,
                });
            }
        }
        var buildings = db.Units.Find(u => u.CommunityId == communityId).ToDictionary(u => u.Id, u => u.BuildingId);
        foreach (var payment in db.Payments.Find(p => p.CommunityId == communityId))
            Received(payment, buildings[payment.UnitId], Add);
        db.FeeTotals.InsertBulk(totals.Values);
        db.FlatArrears.InsertBulk(flats);
        db.NextNumber(VersionKey(communityId));
    }

    /// <summary>
    /// Moves the totals and the flat's arrears for one payment: <paramref name="before"/> are its bills as they were.
    /// </summary>
    public static void Apply(LinliDatabase db, Payment payment, IReadOnlyList<Bill> before)
    {
        var building = db.Units.FindById(payment.UnitId).BuildingId;
        void Add(Period period, string _, Func<FeeTotals, FeeTotals> change)
        {
            foreach (var buildingId in new[] { null, building })
            {
                var id = FeeTotals.IdFor(payment.CommunityId, period, buildingId);
                var current = db.FeeTotals.FindById(id) ?? new FeeTotals
                {
                    Id = id, CommunityId = payment.CommunityId, BuildingId = buildingId, Period = period,
                };
                db.FeeTotals.Upsert(change(current));
            }
        }

        // The flat's bills once, as they are now; "before" says how the paid ones were.
        var now = db.Bills.Find(b => b.UnitId == payment.UnitId).ToList();
        var was = before.ToDictionary(b => b.Id);
        foreach (var month in before.GroupBy(b => b.Period))
        {
            var bills = now.Where(b => b.Period == month.Key).ToList();
            var wasSettled = bills.All(b => (was.GetValueOrDefault(b.Id) ?? b).IsSettled);
            var settledNow = bills.All(b => b.IsSettled) && !wasSettled ? 1 : 0;
            var paid = payment.Lines
                .Where(l => was.TryGetValue(l.BillId, out var bill) && bill.Period == month.Key)
                .Sum(l => l.Amount);
            Add(month.Key, building, t => t with { Paid = t.Paid + paid, UnitsSettled = t.UnitsSettled + settledNow });
        }
        Received(payment, building, Add);
        db.FlatArrears.Upsert(FlatArrears.Of(payment.UnitId, payment.CommunityId, now));
        db.NextNumber(VersionKey(payment.CommunityId));
    }

    /// <summary>What a payment adds to the month it was received in: arrears recovered, and prepayment.</summary>
    private static void Received(
        Payment payment, string building, Action<Period, string, Func<FeeTotals, FeeTotals>> add)
    {
        var receivedAt = payment.PaidAt.ToOffset(Period.ChinaOffset);
        var received = new Period(receivedAt.Year, receivedAt.Month);
        var recovered = payment.Lines.Where(l => BillPeriod(l.BillId) < received).Sum(l => l.Amount);
        if (recovered > 0 || payment.Prepaid > 0)
            add(received, building, t => t with
            {
                Recovered = t.Recovered + recovered, Prepaid = t.Prepaid + payment.Prepaid,
            });
    }

    /// <summary>The month of a bill id "{unitId}/{period}/{kind}".</summary>
    private static Period BillPeriod(string billId) => Period.Parse(billId.Split('/')[1]);
}
