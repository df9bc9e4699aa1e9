using System.ComponentModel.DataAnnotations;
using Linli.Fees;

namespace Linli.Seeding;

public sealed class DemoOptions : IValidatableObject
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo community into an empty database on start.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>Same seed, same community: names, areas, bills and payments.</summary>
    public int RandomSeed { get; set; } = 20260301;

    /// <summary>The last billed month (yyyy-MM). Empty: the month before today (China time).</summary>
    public string? LastPeriod { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(LastPeriod) && !Period.TryParse(LastPeriod, out _))
            yield return new ValidationResult($"Demo:LastPeriod '{LastPeriod}' is not a month like 2026-03.", [nameof(LastPeriod)]);
    }
}
