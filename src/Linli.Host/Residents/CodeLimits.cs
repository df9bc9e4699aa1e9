namespace Linli.Residents;

/// <summary>
/// "Residents:Codes": how many one-time codes may be asked for, per flat, per phone and per requester.
/// </summary>
public sealed class CodeLimits
{
    public const string SectionName = "Residents:Codes";
    public int PerFlatPerHour { get; set; } = 5;
    public int PerFlatPerDay { get; set; } = 10;
    public int PerPhonePerHour { get; set; } = 5;
    public int PerPhonePerDay { get; set; } = 10;
    /// <summary>
    /// A client address (the sign-in page) or a chat user: higher, as an office or a family may share one address.
    /// </summary>
    public int PerRequesterPerHour { get; set; } = 10;
    public int PerRequesterPerDay { get; set; } = 30;
}
