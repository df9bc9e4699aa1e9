using System.ComponentModel.DataAnnotations;
using Linli.Calendar;

namespace Linli.Seeding;

public sealed class DemoOptions : IValidatableObject
{
    public const string SectionName = "Demo";

    /// <summary>
    /// Seed the demo community, with its published demo password, into an empty database on start. Unset: on in
    /// Development (the README's first command), off anywhere else.
    /// </summary>
    public bool? Seed { get; set; }

    /// <summary>Same seed, same community: names, areas, bills and payments.</summary>
    public int RandomSeed { get; set; } = 20260301;

    /// <summary>The last billed month (yyyy-MM). Empty: the month before today (China time).</summary>
    public string? LastPeriod { get; set; }

    /// <summary>Extra synthetic communities to seed beside the demo, for benchmarks (e.g. 100).</summary>
    [Range(0, 10_000)]
    public int SyntheticCommunities { get; set; }

    /// <summary>Flats per synthetic community (e.g. 2000).</summary>
    [Range(1, 100_000)]
    public int SyntheticUnits { get; set; } = 2000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(LastPeriod) && !Period.TryParse(LastPeriod, out _))
            yield return new ValidationResult($"Demo:LastPeriod '{LastPeriod}' is not a month like 2026-03.", [nameof(LastPeriod)]);
    }
}
