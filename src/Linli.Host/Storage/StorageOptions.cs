using System.ComponentModel.DataAnnotations;

namespace Linli.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// LiteDB (the default: one file, one process) or PostgreSQL (<c>ConnectionStrings:Postgres</c>, any number of
    /// instances).
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.LiteDB;

    /// <summary>The LiteDB file, relative to the content root; ":memory:" for a throw-away database.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DatabasePath { get; set; } = "data/linli.db";

    /// <summary>
    /// LiteDB's nightly copies, in "backups" beside the file: one a day after this hour (China time), the newest
    /// <see cref="BackupsKept"/> kept. Zero keeps none and takes none.
    /// </summary>
    [Range(0, 23)]
    public int BackupHour { get; set; } = 3;

    [Range(0, 366)]
    public int BackupsKept { get; set; } = 7;

    /// <summary>Copies an admin takes on demand: the newest this many kept.</summary>
    [Range(1, 1000)]
    public int ManualBackupsKept { get; set; } = 10;
}

public enum StorageProvider { LiteDB, PostgreSQL }
