using System.Collections.Concurrent;
using Linli.Seeding;
using Linli.Storage.LiteDb;
using Linli.Storage;

namespace Linli.Tests.Support;

/// <summary>
/// The demo estate seeded once per test run into a real LiteDB file, which each in-memory app then starts from as a
/// copy: the same file Linli would seed itself (the seeder is deterministic), without a second and a half of seeding
/// for every one of hundreds of tests.
/// </summary>
public static class SeededTemplate
{
    private static readonly ConcurrentDictionary<(int, int), Lazy<string>> Templates = new();

    /// <summary>
    /// Copies the seeded estate (with <paramref name="synthetic"/> synthetic communities of <paramref name="units"/>
    /// flats beside it) to <paramref name="path"/>, which must not exist yet.
    /// </summary>
    public static void CopyTo(string path, int synthetic = 0, int units = 2000)
    {
        var template = Templates.GetOrAdd((synthetic, units),
            key => new Lazy<string>(() => Create(key.Item1, key.Item2), LazyThreadSafetyMode.ExecutionAndPublication));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(template.Value, path);
    }

    private static string Create(int synthetic, int units)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"linli-template-{Environment.ProcessId}-{Guid.NewGuid():n}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "linli.db");
        using (var db = LinliDatabase.Open(path))
        {
            var options = new DemoOptions
            {
                Seed = true, LastPeriod = LinliAppFactory.LastPeriod,
                SyntheticCommunities = synthetic, SyntheticUnits = units,
            };
            DemoSeeder.Standalone(db, options, TimeProvider.System).SeedIfEmpty();
            db.Checkpoint();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        };
        return path;
    }
}
