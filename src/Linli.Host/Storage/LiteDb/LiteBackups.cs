using System.Globalization;
using Linli.Calendar;
using Linli.Hosting;
using Microsoft.Extensions.Options;

namespace Linli.Storage.LiteDb;

/// <summary>
/// The estate's copies of its database in "backups" beside the file: one taken each night, and one whenever an admin
/// asks; the newest of each kept (<see cref="StorageOptions.BackupsKept"/>,
/// <see cref="StorageOptions.ManualBackupsKept"/>).
/// </summary>
public sealed class LiteBackups(LinliDatabase db, IOptions<StorageOptions> options, TimeProvider time,
    ILogger<LiteBackups> logger, IClusterLeases leases) : PeriodicWork(time, logger, leases)
{
    private const string Nightly = "nightly-";
    private const string Manual = "manual-";

    /// <summary>One copy at a time (the night's timer and an admin may ask together).</summary>
    private readonly Lock _taking = new();

    protected override TimeSpan Interval => TimeSpan.FromMinutes(10);

    /// <summary>Where the copies go; null for a database in memory.</summary>
    public string? Folder => db.Location == ":memory:"
        ? null
        : Path.Combine(Path.GetDirectoryName(db.Location)!, "backups");

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        TakeNightly();
        return Task.CompletedTask;
    }

    /// <summary>Tonight's copy, once it is past the hour and none was taken today; returns it, or null.</summary>
    public LiteBackup.Report? TakeNightly()
    {
        var o = options.Value;
        var now = ChinaTime.Now(Clock);
        if (Folder is null || o.BackupsKept == 0 || now.Hour < o.BackupHour) return null;
        var path = Path.Combine(Folder, $"{Nightly}{now.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.db");
        LiteBackup.Report report;
        lock (_taking)
        {
            if (File.Exists(path)) return null;
            report = Take(path);
        }
        KeepNewest(Nightly, o.BackupsKept);
        return report;
    }

    /// <summary>
    /// A copy now ("manual-{time}.db"), as an admin asks for before a risky change; refused while another is being
    /// taken (a second click, or the night's copy), not queued behind it.
    /// </summary>
    public LiteBackup.Report TakeNow()
    {
        var folder = Folder ?? throw new InvalidOperationException("A database in memory has no backups.");
        var stamp = ChinaTime.Now(Clock).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        if (!_taking.TryEnter()) throw DomainProblem.Conflict("storage.backup_under_way");
        LiteBackup.Report report;
        try { report = Take(Path.Combine(folder, $"{Manual}{stamp}-{Guid.NewGuid().ToString("N")[..4]}.db")); }
        finally { _taking.Exit(); }
        KeepNewest(Manual, options.Value.ManualBackupsKept);
        return report;
    }

    private void KeepNewest(string kind, int kept)
    {
        // Named by their time: the last in order are the newest.
        foreach (var old in Directory.GetFiles(Folder!, $"{kind}*.db").Order(StringComparer.Ordinal).SkipLast(kept))
            File.Delete(old);
    }

    private LiteBackup.Report Take(string path)
    {
        LiteBackup.Report report;
        lock (_taking) report = LiteBackup.Write(db, path);
        logger.LogInformation("Backup {Path}: {Documents} documents in {Collections} collections, {Bytes} bytes",
            report.Path, report.Documents, report.Collections, report.Bytes);
        return report;
    }
}
