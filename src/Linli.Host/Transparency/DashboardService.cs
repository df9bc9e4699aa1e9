using Linli.Calendar;
using Linli.Communities;
using Linli.Fees;
using Linli.MaintenanceFund;
using Linli.Mediation;
using Linli.Projects;
using Linli.PublicRevenue;
using Linli.Tickets;

namespace Linli.Transparency;

public sealed record Headline(Words Name, string Value);

/// <summary>
/// Everything one dashboard shows: headline figures, charts (each with its table and CSV), and lists.
/// </summary>
public sealed record Dashboard(
    string CommunityId,
    Words Community,
    Period Through,
    Headline[] Headlines,
    Chart[] Charts,
    List<ApplicationView> Applications,
    List<ProjectProgress> Projects);

/// <summary>
/// The figures of the open accounts (业账社审) for a community's two dashboards: the public one every signed-in resident
/// reads (/transparency) and the office's, which adds what is owed by building and the work still open. Fee figures
/// come from the running totals; nothing here scans the bills.
/// </summary>
public sealed class DashboardService(ICommunityStore communities, ITicketStore tickets, FeeDashboard feeCharts,
    FeeReports reports, RevenueLedger revenue, FundService fund, ProjectService projects, MediationService mediation,
    TimeProvider time)
{
    internal const int Months = 12;
    private const int TicketMonths = 6, Emergencies = 8;

    private static readonly (string Kind, Words Name)[] TicketKinds =
    [
        ("repair_request", new("报修", "Repairs")),
        ("complaint", new("投诉", "Complaints")),
        ("hazard_report", new("隐患", "Hazards")),
        ("emergency", new("紧急", "Emergencies")),
        ("mediation", new("调解", "Mediation")),
    ];

    public Dashboard Build(string communityId, bool office)
    {
        var community = communities.Find(communityId);
        var through = reports.LastBilled(communityId, Period.Current(time).AddMonths(-1));
        var charts = new List<Chart>();
        var headlines = new List<Headline>();
        feeCharts.Add(communityId, through, office, charts, headlines);
        RevenueCharts(communityId, through, charts, headlines);
        var summary = fund.Summary(communityId, null);
        headlines.Add(new(new("公维金余额（元）", "Maintenance fund (yuan)"),
            SvgCharts.Format(summary.Balance, ChartUnit.Yuan)));
        charts.Add(new Chart("fund", new("公维金各楼分摊余额（元）", "Maintenance fund by building (yuan)"),
            [.. summary.Buildings.Select(b => BuildingLabel(b.Building))],
            [new(new("余额", "Balance"), [.. summary.Buildings.Select(b => b.Balance)])], ChartUnit.Yuan));
        var open = projects.Progress(communityId);
        if (open.Count > 0)
            charts.Add(new Chart("projects", new("小区工程资金（元）", "Community projects: money (yuan)"),
                [.. open.Select(p => new Words(p.Title, p.Title))],
                [
                    new(new("预算", "Budget"), [.. open.Select(p => p.Budget)]),
                    new(new("认捐", "Pledged"), [.. open.Select(p => p.Pledged)]),
                    new(new("到位", "Received"), [.. open.Select(p => p.Received)]),
                    new(new("支出", "Spent"), [.. open.Select(p => p.Spent)]),
                ], ChartUnit.Yuan));
        TicketCharts(communityId, through, office, charts, headlines);
        MediationChart(communityId, through, charts, headlines);
        return new Dashboard(communityId,
            new(community?.Name ?? communityId, community?.NameEn ?? communityId),
            through, [.. headlines], [.. charts], fund.Applications(communityId), open);
    }

    public Chart? Chart(string communityId, string id, bool office) =>
        Build(communityId, office).Charts.FirstOrDefault(c => c.Id == id);

    private void RevenueCharts(string communityId, Period through, List<Chart> charts, List<Headline> headlines)
    {
        var from = through.AddMonths(1 - Months);
        var months = revenue.Months(communityId, from, through);
        charts.Add(new Chart("revenue", new("公共收益收支（元）", "Public revenue in and out (yuan)"),
            [.. months.Select(m => MonthLabel(m.Period))],
            [
                new(new("收入", "Income"), [.. months.Select(m => m.Income)]),
                new(new("支出", "Spending"), [.. months.Select(m => m.Spending)]),
            ],
            ChartUnit.Yuan,
            [.. months.Select(m => new Words(OpenAccountsWords.Name(m.Status, false),
                OpenAccountsWords.Name(m.Status, true)))]));
        var sources = Enumerable.Range(0, Months)
            .SelectMany(i => revenue.MonthOf(communityId, from.AddMonths(i)).IncomeBySource)
            .GroupBy(t => t.Name)
            .Select(g => (Name: g.Key, Amount: g.Sum(t => t.Amount)))
            .OrderByDescending(t => t.Amount)
            .ToList();
        charts.Add(new Chart("revenue-sources", new("公共收益来源（近12个月，元）", "Public revenue by source, 12 months (yuan)"),
            [.. sources.Select(s => new Words(OpenAccountsWords.Name(s.Name, false),
                OpenAccountsWords.Name(s.Name, true)))],
            [new(new("收入", "Income"), [.. sources.Select(s => s.Amount)])], ChartUnit.Yuan));
        headlines.Add(new(new("公共收益结余（元）", "Public revenue balance (yuan)"),
            SvgCharts.Format(months.Count > 0 ? months[^1].Closing : 0, ChartUnit.Yuan)));
    }

    /// <summary>
    /// Tickets by kind, the share that kept both service deadlines, ratings, and the 1-3-5 ladder of emergencies.
    /// </summary>
    private void TicketCharts(string communityId, Period through, bool office, List<Chart> charts,
        List<Headline> headlines)
    {
        var from = through.AddMonths(1 - TicketMonths);
        var since = new DateTimeOffset(from.FirstDay.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        var opened = tickets.OpenedSince(communityId, since);
        var months = Enumerable.Range(0, TicketMonths).Select(i => from.AddMonths(i)).ToList();
        var byMonth = opened.ToLookup(t => Period.Of(t.CreatedAt.InChina()));
        charts.Add(new Chart("tickets", new("工单量（按月）", "Tickets by month"), [.. months.Select(MonthLabel)],
            [.. TicketKinds.Select(k => new Series(k.Name,
                [.. months.Select(m => (decimal)byMonth[m].Count(t => t.Kind == k.Kind))]))],
            ChartUnit.Count));
        decimal Kept(IEnumerable<TicketFigure> list)
        {
            var all = list.ToList();
            if (all.Count == 0) return 1m;
            var inTime = all.Count(t => !t.Breached);
            return decimal.Round((decimal)inTime / all.Count, 4);
        }
        charts.Add(new Chart("sla", new("按时响应并办结的工单", "Tickets answered and resolved in time"),
            [.. months.Select(MonthLabel)],
            [new(new("按时", "In time"), [.. months.Select(m => Kept(byMonth[m]))])], ChartUnit.Percent));
        var rated = opened.Where(t => t.Rating is not null).ToList();
        headlines.Add(new(new("服务按时率", "Service in time"),
            SvgCharts.Format(Kept(opened), ChartUnit.Percent)));
        headlines.Add(new(new("居民评分", "Residents' rating"), rated.Count == 0 ? "—"
            : $"{rated.Average(t => t.Rating!.Value):0.0} / 5 ({rated.Count})"));

        var emergencies = opened.Where(t => t.Kind == "emergency" && t.Ladder is not null)
            .OrderByDescending(t => t.CreatedAt)
            .Take(Emergencies)
            .Reverse()
            .ToList();
        if (emergencies.Count > 0)
        {
            decimal Minutes(TicketFigure t, DateTimeOffset? at) =>
                at is { } a ? decimal.Round((decimal)(a - t.CreatedAt).TotalMinutes, 1) : 0m;
            charts.Add(new Chart("emergency", new("紧急情况响应（分钟，1-3-5）", "Emergency response (minutes, 1-3-5)"),
                [.. emergencies.Select(t => new Words(t.CreatedAt.InChina().ToString("M/d"),
                    t.CreatedAt.InChina().ToString("MM-dd")))],
                [
                    new(new("接警", "Acknowledged"), [.. emergencies.Select(t => Minutes(t, t.Ladder!.AcknowledgedAt))]),
                    new(new("出发", "On the way"), [.. emergencies.Select(t => Minutes(t, t.Ladder!.OnTheWayAt))]),
                    new(new("到场", "On site"), [.. emergencies.Select(t => Minutes(t, t.Ladder!.OnSiteAt))]),
                ], ChartUnit.Minutes));
        }
        if (office)
        {
            var statuses = Enum.GetValues<TicketStatus>()
                .Where(s => s is not (TicketStatus.Closed or TicketStatus.Resolved))
                .ToList();
            var openNow = tickets.OpenCounts(communityId).ToDictionary(c => c.Status);
            decimal Count(TicketStatus s) => openNow.GetValueOrDefault(s)?.Count ?? 0;
            decimal PastDeadline(TicketStatus s) => openNow.GetValueOrDefault(s)?.PastDeadline ?? 0;
            charts.Add(new Chart("open-tickets", new("未办结工单", "Open tickets"),
                [.. statuses.Select(s => new Words(StatusName(s).Zh, StatusName(s).En))],
                [
                    new(new("工单", "Tickets"), [.. statuses.Select(Count)]),
                    new(new("超时", "Past deadline"), [.. statuses.Select(PastDeadline)]),
                ], ChartUnit.Count));
        }
    }

    private void MediationChart(string communityId, Period through, List<Chart> charts, List<Headline> headlines)
    {
        var months = mediation.Monthly(communityId, through.AddMonths(1 - Months), through);
        charts.Add(new Chart("mediation", new("调解成功率（按月）", "Mediation settled rate by month"),
            [.. months.Select(m => MonthLabel(m.Period))],
            [new(new("调解成功", "Settled"), [.. months.Select(m => m.SettledRate ?? 0m)])], ChartUnit.Percent,
            [.. months.Select(m => new Words(
                $"结案 {m.Settled + m.Failed + m.Referred}，成功 {m.Settled}，撤回 {m.Withdrawn}",
                $"{m.Settled + m.Failed + m.Referred} concluded, {m.Settled} settled, {m.Withdrawn} withdrawn"))]));
        var concluded = months.Sum(m => m.Settled + m.Failed + m.Referred);
        headlines.Add(new(new("调解成功率（12个月）", "Mediation settled (12 months)"),
            concluded == 0
                ? "—"
                : SvgCharts.Format((decimal)months.Sum(m => m.Settled) / concluded, ChartUnit.Percent)));
    }

    internal static Words MonthLabel(Period p) => new($"{p.Month}月", p.ToString());

    internal static Words BuildingLabel(int number) => new($"{number}栋", $"Bldg {number}");

    private static Words StatusName(TicketStatus s) => s switch
    {
        TicketStatus.New => new("新工单", "New"),
        TicketStatus.Assigned => new("已派单", "Assigned"),
        TicketStatus.InProgress => new("处理中", "In progress"),
        TicketStatus.Reopened => new("重新打开", "Reopened"),
        TicketStatus.WaitingOnResident => new("等居民回复", "Waiting on resident"),
        _ => new(s.ToString(), s.ToString()),
    };
}
