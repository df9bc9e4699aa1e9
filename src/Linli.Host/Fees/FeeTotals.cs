using Linli.Calendar;

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

    /// <summary>Nothing yet: the month's totals before any bill or payment is counted.</summary>
    public static FeeTotals Zero(string communityId, Period period, string? buildingId = null) => new()
    {
        Id = IdFor(communityId, period, buildingId), CommunityId = communityId, BuildingId = buildingId,
        Period = period,
    };

    /// <summary>These totals with <paramref name="change"/> (totals of the same id) added.</summary>
    public FeeTotals Plus(FeeTotals change) => this with
    {
        Due = Due + change.Due,
        Paid = Paid + change.Paid,
        Units = Units + change.Units,
        UnitsSettled = UnitsSettled + change.UnitsSettled,
        Recovered = Recovered + change.Recovered,
        Prepaid = Prepaid + change.Prepaid,
    };
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
/// How the running totals follow the bills and payments: built whole from them, and moved by each payment as it lands.
/// Pure: a store calls these inside the transaction that writes what they return.
/// </summary>
public static class FeeTotalsBook
{
    /// <summary>All of a community's totals and its flats' arrears, computed from its bills and payments.</summary>
    /// <param name="buildingOf">The building of a flat that was paid for.</param>
    public static (IReadOnlyList<FeeTotals> Totals, IReadOnlyList<FlatArrears> Arrears) Build(string communityId,
        IEnumerable<Bill> bills, IEnumerable<Payment> payments, Func<string, string> buildingOf)
    {
        var changes = new Tally(communityId);
        var flats = new List<FlatArrears>();
        foreach (var flat in bills.GroupBy(b => b.UnitId))
        {
            flats.Add(FlatArrears.Of(flat.Key, communityId, flat));
            foreach (var month in flat.GroupBy(b => b.Period))
            {
                var (due, paid) = (month.Sum(b => b.AmountDue), month.Sum(b => b.AmountPaid));
                var settled = month.All(b => b.IsSettled) ? 1 : 0;
                changes.Add(month.Key, month.First().BuildingId, t => t with
                {
                    Due = t.Due + due,
                    Paid = t.Paid + paid,
                    Units = t.Units + 1,
                    UnitsSettled = t.UnitsSettled + settled,
                });
            }
        }
        foreach (var payment in payments)
            Received(payment, buildingOf(payment.UnitId), changes);
        return (changes.All, flats);
    }

    /// <summary>
    /// What one payment adds to its community's totals (and its building's): each a <see cref="FeeTotals"/> to add
    /// with <see cref="FeeTotals.Plus"/> to the one of its id (or to <see cref="FeeTotals.Zero"/>).
    /// </summary>
    /// <param name="before">The bills the payment pays, as they were.</param>
    /// <param name="now">Every bill of the flat, the payment's lines added.</param>
    public static IReadOnlyList<FeeTotals> Changes(Payment payment, string buildingId, IReadOnlyList<Bill> before,
        IReadOnlyList<Bill> now)
    {
        var changes = new Tally(payment.CommunityId);
        var was = before.ToDictionary(b => b.Id);
        foreach (var month in before.GroupBy(b => b.Period))
        {
            var bills = now.Where(b => b.Period == month.Key).ToList();
            var wasSettled = bills.All(b => (was.GetValueOrDefault(b.Id) ?? b).IsSettled);
            var settledNow = bills.All(b => b.IsSettled) && !wasSettled ? 1 : 0;
            var paid = payment.Lines
                .Where(l => was.TryGetValue(l.BillId, out var bill) && bill.Period == month.Key)
                .Sum(l => l.Amount);
            changes.Add(month.Key, buildingId,
                t => t with { Paid = t.Paid + paid, UnitsSettled = t.UnitsSettled + settledNow });
        }
        Received(payment, buildingId, changes);
        return changes.All;
    }

    /// <summary>What a payment adds to the month it was received in: arrears recovered, and prepayment.</summary>
    private static void Received(Payment payment, string buildingId, Tally changes)
    {
        var receivedAt = payment.PaidAt.InChina();
        var received = new Period(receivedAt.Year, receivedAt.Month);
        var recovered = payment.Lines.Where(l => BillPeriod(l.BillId) < received).Sum(l => l.Amount);
        if (recovered > 0 || payment.Prepaid > 0)
            changes.Add(received, buildingId, t => t with
            {
                Recovered = t.Recovered + recovered,
                Prepaid = t.Prepaid + payment.Prepaid,
            });
    }

    /// <summary>The month of a bill id "{unitId}/{period}/{kind}".</summary>
    private static Period BillPeriod(string billId) => Period.Parse(billId.Split('/')[1]);

    /// <summary>Totals being added up, each change made to the community's month and the building's alike.</summary>
    private sealed class Tally(string communityId)
    {
        private readonly Dictionary<string, FeeTotals> _totals = [];

        public IReadOnlyList<FeeTotals> All => [.. _totals.Values];

        public void Add(Period period, string buildingId, Func<FeeTotals, FeeTotals> change)
        {
            foreach (var building in new[] { null, buildingId })
            {
                var id = FeeTotals.IdFor(communityId, period, building);
                _totals[id] = change(_totals.GetValueOrDefault(id) ?? FeeTotals.Zero(communityId, period, building));
            }
        }
    }
}
