using BenchmarkDotNet.Attributes;
using Linli.Calendar;
using Linli.Fees;
using Linli.Storage;
using Linli.Storage.LiteDb;

namespace Linli.Bench;

/// <summary>
/// "What does 3栋502 owe for March?" over a city of bills. The baseline finds the unit's bills through
/// the UnitId index and filters the month in memory; UnitPeriodIndex seeks the UnitPeriod expression
/// index. The collection rate of one community-month reads every bill of that month.
/// </summary>
[MemoryDiagnoser]
public class BillQueryBenchmarks
{
    private LinliDatabase _db = null!;
    private LiteFeeStore _fees = null!;
    private FeeReports _reports = null!;
    private (string Community, string Unit)[] _units = null!;
    private int _next;
    private readonly Period _month = new(2026, 3);

    [GlobalSetup]
    public void Setup()
    {
        _db = BenchDatabase.Open();
        _fees = new LiteFeeStore(_db);
        _reports = new FeeReports(_fees);
        var rng = new Random(1);
        var all = _db.Units.FindAll().Select(u => (u.CommunityId, u.Id)).ToList();
        _units = Enumerable.Range(0, 4096).Select(_ => all[rng.Next(all.Count)]).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reports.Dispose();
        _db.Dispose();
    }

    private (string Community, string Unit) NextUnit() => _units[_next++ & (_units.Length - 1)];

    [Benchmark(Baseline = true)]
    public int UnitIdIndexThenFilter()
    {
        var (_, unit) = NextUnit();
        return _db.Bills.Find(b => b.UnitId == unit).Count(b => b.Period == _month);
    }

    [Benchmark]
    public int UnitPeriodIndex()
    {
        var (community, unit) = NextUnit();
        return _fees.BillsFor(community, unit, _month).Count;
    }

    [Benchmark]
    public decimal CollectionRateOfOneCommunityMonth() => _reports.CollectionRate("syn0001", _month).Rate;
}
