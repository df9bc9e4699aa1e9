using System.ComponentModel.DataAnnotations;

namespace Linli.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The LiteDB file, relative to the content root; ":memory:" for a throw-away database.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DatabasePath { get; set; } = "data/linli.db";
}
