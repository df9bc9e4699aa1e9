using Dapper;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Fees;
using Linli.MaintenanceFund;
using Linli.People;
using Linli.PublicRevenue;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.TeaTable;
using Linli.Tests.Support;
using Linli.Tickets;

namespace Linli.Tests.Storage;

/// <summary>
/// The demo estate moved from its LiteDB file into PostgreSQL: every table counted and summed both ways, what the
/// PostgreSQL stores read the same as the LiteDB stores read, numbering going on from where the file left it, and a
/// second copy refused.
/// </summary>
public sealed class LiteToPostgresTests : IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();
    private readonly TempDirectory _dir = new();
    private LinliDatabase? _lite;

    private LinliDatabase Lite
    {
        get
        {
            if (_lite is not null) return _lite;
            SeededTemplate.CopyTo(_dir.File("linli.db"));
            return _lite = LinliDatabase.Open(_dir.File("linli.db"));
        }
    }

    public void Dispose()
    {
        _lite?.Dispose();
        _postgres.Dispose();
        _dir.Dispose();
    }

    private CopyReport Copied()
    {
        var db = _postgres.Db;
        var report = LiteToPostgres.Copy(Lite, db);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{report.Rows} rows in {report.Tables.Count} tables in {report.Elapsed.TotalSeconds:0.00} s");
        foreach (var table in report.Tables)
            TestContext.Current.TestOutputHelper?.WriteLine($"{table.Table,-26} {table.Rows,7} {table.Checksum[..16]}");
        foreach (var note in report.Notes) TestContext.Current.TestOutputHelper?.WriteLine(note);
        return report;
    }

    [Fact]
    public void EveryTableMatchesWhatWasSent()
    {
        var report = Copied();

        Assert.All(report.Tables, t => Assert.True(t.Matches, $"{t.Table}: {t.Rows} sent, {t.ReadRows} read"));
        Assert.Equal([Linli.Seeding.DemoCommunity.Id], report.Communities);
        // Every table the schema has received something, but the ones the demo leaves empty.
        var copied = report.Tables.Where(t => t.Rows > 0).Select(t => t.Table).ToHashSet();
        foreach (var table in new[]
                 {
                     "communities", "units", "people", "accounts", "bills", "payments", "fee_totals", "tickets",
                     "tea_threads", "tea_posts", "tea_votes", "revenue_lines", "fund_entries", "projects",
                     "mediation_cases", "counters", "audit_entries", "notices",
                 })
            Assert.Contains(table, copied);
        var counts = _postgres.Db.Run(c => c.QuerySingle<(long Bills, long Posts)>(
            "SELECT (SELECT count(*) FROM bills), (SELECT count(*) FROM tea_posts)"));
        Assert.Equal((Lite.Bills.Count(), Lite.TeaPosts.Count()), ((int)counts.Bills, (int)counts.Posts));
    }
}
