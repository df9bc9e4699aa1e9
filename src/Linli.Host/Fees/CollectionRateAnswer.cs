using System.Globalization;
using Linli.Accounts;
using Linli.Bot.Dialogs;
using Linli.Calendar;
using Linli.Residents;

namespace Linli.Fees;

/// <summary>
/// "小区收缴率": last billed month's collection rate (by amount and by household) and the year's, public to
/// everyone, with a link to the open accounts page (a signed link once the resident's flat is confirmed). Asked from
/// the fee question and from the open accounts one.
/// </summary>
public sealed class CollectionRateAnswer(FeeReports reports, ResidentLinks links, TimeProvider time)
{
    public const string OpenAccountsPage = "/transparency";

    /// <returns>The dialog's outcome ("collection_rate", "collection_rate_guest") and its values.</returns>
    public Dictionary<string, string> Answer(Speaker speaker, string? locale)
    {
        var english = LocalizedText.IsEnglish(locale);
        var last = reports.LastBilled(speaker.CommunityId, Period.Current(time).AddMonths(-1));
        var month = reports.CollectionRate(speaker.CommunityId, last);
        var year = reports.YearToDate(speaker.CommunityId, last);
        return new()
        {
            [DialogResults.Outcome] = speaker.Binding is null ? "collection_rate_guest" : "collection_rate",
            ["month"] = english ? last.ToString() : $"{last.Year}年{last.Month}月",
            ["rate"] = Percent(month.Rate),
            ["household"] = Percent(month.HouseholdRate),
            ["year"] = Percent(year.Rate),
            ["link"] = speaker.Binding is { } binding ? links.Create(binding, OpenAccountsPage) : "",
        };
    }

    private static string Percent(decimal rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
