using System.Globalization;
using Linli.Calendar;
using Linli.Hosting;
using Microsoft.Extensions.Options;

namespace Linli.Storage.LiteDb;

/// <summary>
/// The estate's copies of its database in "backups" beside the file: one taken each night, and one whenever an admin
/// asks; the newest nightly ones kept (<see cref="StorageOptions.BackupsKept"/>).
/// </summary>
public sealed class LiteBackups(LinliDatabase db, IOptions<StorageOptions> options, TimeProvider time,
    ILogger<LiteBackups> logger, IClusterLeases leases) : PeriodicWork(time, logger, leases)
{
    private const string Nightly = "nightly-";

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
        var nights = Directory.GetFiles(Folder, $"{Nightly}*.db").Order(StringComparer.Ordinal);
        foreach (var old in nights.SkipLast(o.BackupsKept)) File.Delete(old);
        return report;
    }

    /// <summary>A copy now ("manual-{time}.db"), as an admin asks for before a risky change.</summary>
    public LiteBackup.Report TakeNow()
    {
        var folder = Folder ?? throw new InvalidOperationException("A database in memory has no backups.");
        var stamp = ChinaTime.Now(Clock).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return Take(Path.Combine(folder, $"manual-{stamp}-{Guid.NewGuid().ToString("N")[..4]}.db"));
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
