using System.Globalization;
using Linli.Calendar;

namespace Linli.Fees;

/// <summary>
/// The office's receipt (收据) numbers: SK-{date}-{n}, numbered per community and day (China time).
/// </summary>
public static class Receipts
{
    /// <summary>The day a payment is numbered under, as its receipt prints it (20261115).</summary>
    public static string Day(DateTimeOffset paidAt) =>
        paidAt.InChina().ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Number(string day, int number) => $"SK-{day}-{number:D4}";
}
