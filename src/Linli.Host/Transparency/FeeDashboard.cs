using Linli.Calendar;
using Linli.Communities;
using Linli.Fees;

namespace Linli.Transparency;

/// <summary>
/// The fee part of both dashboards: collection by month and building, the year so far, arrears by age (and, for the
/// office, by building). One document a month from the running totals, however many bills the community has.
/// </summary>
public sealed class FeeDashboard(ICommunityStore communities, FeeReports reports, TimeProvider time)
{
    /// <summary>
    /// Collection rates by month and building, the year so far, arrears by age: all from the community's running
    /// totals read once, so the figures cost the same at a thousand bills or millions.
    /// </summary>
    public void Add(string communityId, Period through, bool office, List<Chart> charts, List<Headline> headlines)
    {
        var totals = reports.Totals(communityId);
        CollectionRate Month(Period p) => totals.Month(p);
        var months = Enumerable.Range(0, DashboardService.Months)
            .Select(i => through.AddMonths(i - DashboardService.Months + 1))
            .ToList();
        var rates = months.Select(Month).ToList();
        charts.Add(new Chart("collection", new("物业费收缴率（按月）", "Fee collection by month"),
            [.. months.Select(DashboardService.MonthLabel)],
            [
                new(new("按金额", "By amount"), [.. rates.Select(r => r.Rate)]),
                new(new("按户", "By household"), [.. rates.Select(r => r.HouseholdRate)]),
            ], ChartUnit.Percent));
        var buildings = communities.Buildings(communityId);
        var byBuilding = buildings.Select(b => totals.Month(through, b.Id)).ToList();
        charts.Add(new Chart("buildings",
            new($"各楼收缴率（{through.Year}年{through.Month}月）", $"Collection by building ({through})"),
            [.. buildings.Select(b => DashboardService.BuildingLabel(b.Number))],
            [
                new(new("按金额", "By amount"), [.. byBuilding.Select(r => r.Rate)]),
                new(new("按户", "By household"), [.. byBuilding.Select(r => r.HouseholdRate)]),
            ], ChartUnit.Percent));
        var ageing = FeeReports.Ageing(ChinaTime.Today(time), Month);
        charts.Add(new Chart("ageing", new("欠费账龄（元）", "Arrears by age (yuan)"),
            [.. ageing.Buckets.Select(b => new Words($"{b.Name}天", $"{b.Name} days"))],
            [new(new("欠费", "Owed"), [.. ageing.Buckets.Select(b => b.Amount)])], ChartUnit.Yuan,
            [.. ageing.Buckets.Select(b => new Words($"{b.FlatMonths} 户·月", $"{b.FlatMonths} flat-months"))]));
        var year = FeeReports.YearToDate(through, Month);
        headlines.Add(new(new($"{through.Month}月收缴率", $"Collected in {through}"),
            SvgCharts.Format(rates[^1].Rate, ChartUnit.Percent)));
        headlines.Add(new(new("今年累计收缴率", "Year to date"),
            SvgCharts.Format(year.Rate, ChartUnit.Percent)));
        headlines.Add(new(new("欠费合计（元）", "Arrears (yuan)"),
            SvgCharts.Format(ageing.Total, ChartUnit.Yuan)));
    }
}
