using Linli.Seeding;
using Linli.Storage;
using Linli.Storage.LiteDb;

namespace Linli.Bench;

/// <summary>
/// A synthetic city kept between runs in bench/data (git ignores it): the demo estate plus
/// LINLI_BENCH_COMMUNITIES communities (default 20) of 2,000 flats, 24 months of bills each.
/// </summary>
public static class BenchDatabase
{
    public static int Communities =>
        int.TryParse(Environment.GetEnvironmentVariable("LINLI_BENCH_COMMUNITIES"), out var n) ? n : 20;

    public static LinliDatabase Open()
    {
        var dir = Path.Combine(FindBenchFolder(), "data");
        var path = Path.Combine(dir, $"city-{Communities}x2000.db");
        var db = LinliDatabase.Open(path);
        var options = new DemoOptions
        {
            RandomSeed = 20260301,
            LastPeriod = "2026-10",
            SyntheticCommunities = Communities,
            SyntheticUnits = 2000,
        };
        DemoSeeder.Standalone(db, options, TimeProvider.System).SeedIfEmpty();
        // As Linli does at start: a file seeded before a kind of running total existed gets it built.
        Storage.LiteDb.LiteFeeTotals.EnsureBuilt(db);
        return db;
    }

    private static string FindBenchFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bot.sln"))) return Path.Combine(dir.FullName, "bench");
        return Path.GetTempPath();
    }
}
