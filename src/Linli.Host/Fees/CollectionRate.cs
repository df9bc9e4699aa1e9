using Linli.Calendar;

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
