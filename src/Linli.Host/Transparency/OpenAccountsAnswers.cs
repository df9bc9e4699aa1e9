using System.Globalization;
using Linli.Accounts;
using Linli.Bot.Dialogs;
using Linli.Calendar;
using Linli.Fees;
using Linli.MaintenanceFund;
using Linli.Projects;
using Linli.PublicRevenue;
using Linli.Residents;

namespace Linli.Transparency;

/// <summary>
/// open_accounts.answer: public revenue of a month and where it went, the maintenance fund, the collection rate and
/// projects, answered from the data in a few lines with a link to the page (a signed link once the flat is confirmed).
/// Every figure is the community's; only the fund's share is the resident's own flat.
/// </summary>
public sealed class OpenAccountsHandler(ResidentDirectory residents, OpenAccountsAnswers answers) : IDialogHandler
{
    public string Name => "open_accounts.answer";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var topic = completion.Values.GetValueOrDefault("topic")
            ?? (completion.DialogId == "maintenance_fund" ? "fund" : "revenue");
        var speaker = residents.WhoIs(completion.Turn.Activity);
        var answer = answers.Answer(topic, speaker, completion.Turn.Activity.Locale,
            completion.Values.GetValueOrDefault("period"));
        return Task.FromResult<IReadOnlyDictionary<string, string>>(answer);
    }
}

/// <summary>
/// The figures behind each answer, for the chat's dialogs (open accounts, and the fee question's collection rate).
/// </summary>
public sealed class OpenAccountsAnswers(RevenueLedger revenue, FundService fund, ProjectService projects,
    CollectionRateAnswer collectionRate, ResidentLinks links, IRevenueStore closes, TimeProvider time)
{
    public const string Page = "/transparency";

    /// <param name="topic">revenue, fund, projects or collection_rate (<see cref="CollectionRateAnswer"/>).</param>
    /// <returns>
    /// The dialog's outcome ("{topic}", "{topic}_guest" before the flat is confirmed) and its values.
    /// </returns>
    public Dictionary<string, string> Answer(string topic, Speaker speaker, string? locale, string? period)
    {
        if (topic == "collection_rate") return collectionRate.Answer(speaker, locale);
        var english = LocalizedText.IsEnglish(locale);
        var answer = topic switch
        {
            "fund" => Fund(speaker, english),
            "projects" => Projects(speaker.CommunityId, english),
            _ => Revenue(speaker.CommunityId, period, english),
        };
        answer["link"] = speaker.Binding is { } binding ? links.Create(binding, Page) : "";
        if (speaker.Binding is null) answer[DialogResults.Outcome] += "_guest";
        return answer;
    }

    /// <summary>The month asked about, or the last closed one (its figures are final), or last month.</summary>
    private Dictionary<string, string> Revenue(string communityId, string? asked, bool english)
    {
        var period = Period.TryParse(asked, out var p) ? p : LastClosedOrLastMonth(communityId);
        var month = revenue.MonthOf(communityId, period);
        string List(SourceTotal[] totals) => string.Join(english ? ", " : "、",
            totals.Select(t => $"{OpenAccountsWords.Name(t.Name, english)} {Money(t.Amount)}"));
        return new()
        {
            [DialogResults.Outcome] = month.Lines.Length == 0 ? "revenue_none" : "revenue",
            ["month"] = Month(period, english), ["income"] = Money(month.Income), ["spending"] = Money(month.Spending),
            ["sources"] = List(month.IncomeBySource), ["purposes"] = List(month.SpendingByPurpose),
            ["balance"] = Money(month.Closing), ["status"] = OpenAccountsWords.Name(month.Status, english),
        };
    }

    /// <summary>The last month the office closed, or last month when none is closed yet.</summary>
    private Period LastClosedOrLastMonth(string communityId) =>
        closes.LatestClose(communityId)?.Period ?? Period.Current(time).AddMonths(-1);

    private Dictionary<string, string> Fund(Speaker speaker, bool english)
    {
        var summary = fund.Summary(speaker.CommunityId, speaker.UnitId);
        var latest = fund.Applications(speaker.CommunityId).FirstOrDefault();
        return new()
        {
            [DialogResults.Outcome] = "fund", ["balance"] = Money(summary.Balance),
            ["unit"] = summary.MyFlatLabel ?? "", ["mine"] = Money(summary.MyFlat ?? 0m),
            ["latest"] = latest is null
                ? ""
                : $"{latest.Number} {latest.Title}：{OpenAccountsWords.Name(latest.Status, english)}",
        };
    }

    private Dictionary<string, string> Projects(string communityId, bool english)
    {
        var open = projects.Progress(communityId);
        return new()
        {
            [DialogResults.Outcome] = open.Count == 0 ? "projects_none" : "projects",
            ["projects"] = string.Join("\n", open.Take(3).Select(p => english
                ? $"{p.Title}: {OpenAccountsWords.Name(p.Status, true)}, budget {Money(p.Budget)}, " +
                  $"received {Money(p.Received)} ({p.PercentFunded:0.#}%), spent {Money(p.Spent)}" +
                  (p.LastUpdate is { } u ? $". Latest: {u}" : "")
                : $"{p.Title}：{OpenAccountsWords.Name(p.Status, false)}，预算 {Money(p.Budget)} 元，" +
                  $"已到位 {Money(p.Received)} 元（{p.PercentFunded:0.#}%），已支出 {Money(p.Spent)} 元" +
                  (p.LastUpdate is { } v ? $"。最新进展：{v}" : ""))),
        };
    }

    private static string Money(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Month(Period p, bool english) => english ? p.ToString() : $"{p.Year}年{p.Month}月";
}
