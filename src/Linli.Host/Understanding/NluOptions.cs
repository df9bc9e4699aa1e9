using System.ComponentModel.DataAnnotations;

namespace Linli.Understanding;

public sealed class NluOptions
{
    public const string SectionName = "Nlu";

    /// <summary>
    /// Below this confidence the classifier answers "none". Calibrated by 5-fold cross-validation on the training
    /// examples (<c>dotnet run -c Release --project bench/Linli.Bench -- nlu</c> prints it).
    /// </summary>
    [Range(0.0, 1.0)]
    public double Threshold { get; set; } = 0.325;

    /// <summary>Where train.tsv lives; relative paths are under the app's folder.</summary>
    [Required]
    public string DataFolder { get; set; } = "Understanding/Data";
}
