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
}

public enum StorageProvider { LiteDB, PostgreSQL }
