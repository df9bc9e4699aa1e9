using Linli.Calendar;
using Linli.Fees;

namespace Linli.Tests.Fees;

/// <summary>
/// The reports keep a community's running totals under the version they read them at: read again when, and only when,
/// the store's version has moved (whichever instance moved it).
/// </summary>
public sealed class FeeReportsCacheTests : IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly CountingStore _store = new();
    private readonly FeeReports _reports;

    public FeeReportsCacheTests() => _reports = new FeeReports(_store);

    public void Dispose() => _reports.Dispose();

    private static FeeTotals Month(string community, decimal paid) =>
        FeeTotals.Zero(community, October) with { Due = 1000m, Paid = paid, Units = 4, UnitsSettled = 1 };

    [Fact]
    public void TotalsAreReadOnceWhileTheVersionStaysAndAgainWhenItMoves()
    {
        _store.Set("north", version: 1, Month("north", 250m));

        Assert.Equal(0.25m, _reports.CollectionRate("north", October).Rate);
        Assert.Equal(250m, _reports.YearToDate("north", October).Paid);
        Assert.Equal(1, _store.TotalsReads);

        _store.Set("north", version: 2, Month("north", 600m));

        Assert.Equal(0.6m, _reports.CollectionRate("north", October).Rate);
        Assert.Equal(2, _store.TotalsReads);
        Assert.Equal(3, _store.VersionReads);
    }

    [Fact]
    public void EachCommunityIsKeptOnItsOwn()
    {
        _store.Set("north", version: 7, Month("north", 250m));
        _store.Set("south", version: 7, Month("south", 1000m));

        Assert.Equal(0.25m, _reports.CollectionRate("north", October).Rate);
        Assert.Equal(1m, _reports.CollectionRate("south", October).Rate);
        Assert.Equal(new CollectionRate(October.AddMonths(1), 0, 0),
            _reports.CollectionRate("north", October.AddMonths(1)));
        Assert.Equal(2, _store.TotalsReads);
    }

    /// <summary>Totals and versions set by the test; counts how often each is read.</summary>
    private sealed class CountingStore : IFeeStore
    {
        private readonly Dictionary<string, (int Version, FeeTotals[] Totals)> _communities = [];

        public int TotalsReads { get; private set; }
        public int VersionReads { get; private set; }

        public void Set(string communityId, int version, params FeeTotals[] totals) =>
            _communities[communityId] = (version, totals);

        public int TotalsVersion(string communityId)
        {
            VersionReads++;
            return _communities.TryGetValue(communityId, out var c) ? c.Version : 0;
        }

        public IReadOnlyList<FeeTotals> Totals(string communityId)
        {
            TotalsReads++;
            return _communities.TryGetValue(communityId, out var c) ? c.Totals : [];
        }

        public IReadOnlyList<Bill> BillsFor(string communityId, string unitId) => [];
        public IReadOnlyList<Bill> BillsFor(string communityId, string unitId, Period period) => [];
        public IReadOnlyList<Bill> BillsOfMonth(string communityId, Period period) => [];
        public IReadOnlyList<Bill> UnpaidBillsFor(string communityId, string unitId) => [];
    }
}
