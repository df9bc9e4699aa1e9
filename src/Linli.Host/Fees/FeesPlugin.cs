using System.ComponentModel;
using System.Globalization;
using Linli.Calendar;
using Microsoft.SemanticKernel;

namespace Linli.Fees;

/// <summary>
/// What a chat model may ask about fees: public, per-community figures only, never one household's bills.
/// </summary>
public sealed class FeesPlugin(FeeReports reports)
{
    public const string PluginName = "Fees";

    [KernelFunction("collection_rate")]
    [Description("The collection rate (收缴率) of a community for one month: billed, paid and the share paid.")]
    public string CollectionRate(
        [Description("Community id, e.g. citong")] string communityId,
        [Description("Month as yyyy-MM, e.g. 2026-03")] string period)
    {
        if (!Period.TryParse(period, out var month)) return $"'{period}' is not a month like 2026-03.";
        var rate = reports.CollectionRate(communityId, month);
        return string.Create(CultureInfo.InvariantCulture,
            $"{rate.Period}: billed {rate.Due:0.00} yuan, paid {rate.Paid:0.00} yuan, collection rate {rate.Rate:P1}");
    }
}
