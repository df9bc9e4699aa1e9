using Linli.Storage.LiteDb;

namespace Linli.Storage.Setup;

/// <summary>
/// <c>restore --from backups/nightly-20261203.db [--to data/linli.db]</c>: puts a LiteDB backup in place of the
/// estate's database while Linli is stopped (see docs/backups.md). The target defaults to Storage:DatabasePath.
/// </summary>
public static class RestoreCommand
{
    /// <returns>The exit code when <paramref name="args"/> ask for a restore; null when they do not.</returns>
    public static int? TryRun(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["restore", ..]) return null;
        var from = Value(args, "--from");
        if (from is null)
        {
            error.WriteLine(
                "Linli cannot restore: say which backup, e.g. restore --from data/backups/nightly-20261203.db");
            return 2;
        }
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var to = Value(args, "--to") ?? configuration["Storage:DatabasePath"] ?? new StorageOptions().DatabasePath;
        try
        {
            var report = LiteBackup.Restore(from, to, DateTimeOffset.UtcNow);
            output.WriteLine($"Restored {Path.GetFullPath(from)} to {report.Path}: {report.Documents} documents in " +
                             $"{report.Collections} collections. The file it replaced is kept beside it.");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or LiteDB.LiteException or UnauthorizedAccessException)
        {
            error.WriteLine($"Linli cannot restore: {ex.Message}");
            return 2;
        }
    }

    private static string? Value(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
