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

/// <summary>Builds the totals from bills and payments, and moves them as each payment lands (inside its transaction).</summary>
public static class FeeTotalsBook
{
    /// <summary>Builds the totals of every community that has bills and none yet (a database from before totals existed).</summary>
    public static int EnsureBuilt(LinliDatabase db)
    {
        var built = 0;
        foreach (var community in db.Communities.FindAll().Select(c => c.Id).ToList())
            if (!db.FeeTotals.Exists(t => t.CommunityId == community) && db.Bills.Exists(b => b.CommunityId == community))
            {
                Build(db, community);
                built++;
            }
        return built;
    }

    /// <summary>All of a community's totals, computed from its bills and payments.</summary>
    public static void Build(LinliDatabase db, string communityId)
    {
        db.FeeTotals.DeleteMany(t => t.CommunityId == communityId);
        var totals = new Dictionary<string, FeeTotals>();
        FeeTotals At(Period period, string? building) =>
            totals.TryGetValue(FeeTotals.IdFor(communityId, period, building), out var t) ? t
                : totals[FeeTotals.IdFor(communityId, period, building)] = new FeeTotals
                {
                    Id = FeeTotals.IdFor(communityId, period, building), CommunityId = communityId, BuildingId = building, Period = period,
                };
        void Add(Period period, string building, Func<FeeTotals, FeeTotals> change)
        {
            foreach (var key in new[] { (string?)null, building })
                totals[FeeTotals.IdFor(communityId, period, key)] = change(At(period, key));
        }

        foreach (var month in db.Bills.Find(b => b.CommunityId == communityId).GroupBy(b => (b.UnitId, b.Period)))
        {
            var first = month.First();
            var (due, paid, settled) = (month.Sum(b => b.AmountDue), month.Sum(b => b.AmountPaid), month.All(b => b.IsSettled));
            Add(first.Period, first.BuildingId, t => t with
            {
                Due = t.Due + due, Paid = t.Paid + paid, Units = t.Units + 1, UnitsSettled = t.UnitsSettled + (settled ? 1 : 0),
            });
        }
        var buildings = db.Units.Find(u => u.CommunityId == communityId).ToDictionary(u => u.Id, u => u.BuildingId);
        foreach (var payment in db.Payments.Find(p => p.CommunityId == communityId))
            Received(payment, buildings[payment.UnitId], Add);
        db.FeeTotals.InsertBulk(totals.Values);
    }

    /// <summary>Moves the totals for one payment: <paramref name="before"/> are its bills as they were.</summary>
    public static void Apply(LinliDatabase db, Payment payment, IReadOnlyList<Bill> before)
    {
        var building = db.Units.FindById(payment.UnitId).BuildingId;
        void Add(Period period, string _, Func<FeeTotals, FeeTotals> change)
        {
            foreach (var buildingId in new[] { null, building })
            {
                var id = FeeTotals.IdFor(payment.CommunityId, period, buildingId);
                var current = db.FeeTotals.FindById(id)
                    ?? new FeeTotals { Id = id, CommunityId = payment.CommunityId, BuildingId = buildingId, Period = period };
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
            var paid = payment.Lines.Where(l => was.ContainsKey(l.BillId) && was[l.BillId].Period == month.Key).Sum(l => l.Amount);
            Add(month.Key, building, t => t with { Paid = t.Paid + paid, UnitsSettled = t.UnitsSettled + settledNow });
        }
        Received(payment, building, Add);
    }

    /// <summary>What a payment adds to the month it was received in: arrears recovered, and prepayment.</summary>
    private static void Received(Payment payment, string building, Action<Period, string, Func<FeeTotals, FeeTotals>> add)
    {
        var received = Period.Parse(payment.PaidAt.ToOffset(Period.ChinaOffset).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        var recovered = payment.Lines.Where(l => BillPeriod(l.BillId) < received).Sum(l => l.Amount);
        if (recovered > 0 || payment.Prepaid > 0)
            add(received, building, t => t with { Recovered = t.Recovered + recovered, Prepaid = t.Prepaid + payment.Prepaid });
    }

    /// <summary>The month of a bill id "{unitId}/{period}/{kind}".</summary>
    private static Period BillPeriod(string billId) => Period.Parse(billId.Split('/')[1]);
}
