using System.Net;
using System.Text.RegularExpressions;
using Linli.Calendar;
using Linli.Fees;
using Linli.Tests.Support;
using Linli.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.OpenAccounts;

/// <summary>
/// The dashboards: charts with their titles and tables, numbers equal to the books, CSV, and who may read.
/// </summary>
public sealed partial class DashboardTests : IDisposable
{
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_resident_reads_every_chart_with_its_title_table_and_csv_and_the_numbers_are_the_books()
    {
        var resident = await ResidentWeb.SignInAsync(_app, "3栋502");
        var page = await resident.GetAsync("/transparency", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var board = _app.Services.GetRequiredService<DashboardService>().Build("citong", office: false);
        Assert.True(board.Charts.Length >= 9, string.Join(",", board.Charts.Select(c => c.Id)));
        foreach (var chart in board.Charts)
        {
            var title = System.Net.WebUtility.HtmlEncode(chart.Title.Zh);
            Assert.Contains($"<title id=\"{chart.Id}-title\">{title}</title>", html);
            Assert.Contains($"/transparency/charts/{chart.Id}.csv", html);
        }
        Assert.Equal(board.Charts.Length, SvgTag().Matches(html).Count);
        Assert.Equal(board.Charts.Length, Regex.Matches(html, "<table class=\"numbers\">").Count);
        Assert.DoesNotContain("<script", html);

        // The figures are the books': last month's collection rate from the bills themselves.
        var last = board.Through;
        var fromBills = _app.Services.GetRequiredService<FeeReports>().CollectionRateFromBills("citong", last);
        var collection = board.Charts.Single(c => c.Id == "collection");
        Assert.Equal(fromBills.Rate, collection.Series[0].Values[^1]);
        Assert.Contains(SvgCharts.Format(fromBills.Rate, ChartUnit.Percent), html);

        var csv = await resident.GetAsync("/transparency/charts/collection.csv?lang=en", Ct);
        var bytes = await csv.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"Label\",\"By amount\",\"By household\"", rows[0]);
        Assert.Equal(13, rows.Length);
        var percent = decimal.Round(fromBills.Rate * 100, 2);
        Assert.EndsWith(percent.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[^1].Split(',')[1]);

        var english = await (await resident.GetAsync("/transparency?lang=en", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Fee collection by month", english);
        Assert.Contains("lang=\"en\"", english);

        // The office's page is the office's; another community's page is nobody's business; strangers sign in first.
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync("/office", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await resident.GetAsync("/transparency/syn0001", Ct)).StatusCode);
        var stranger = _app.CreateClient(new() { AllowAutoRedirect = false });
        var refused = await stranger.GetAsync("/transparency", Ct);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/signin", refused.Headers.Location!.ToString());
        var csvRefused = await stranger.GetAsync("/transparency/charts/collection.csv", Ct);
        Assert.Equal(HttpStatusCode.Redirect, csvRefused.StatusCode);
        Assert.Contains("/signin", csvRefused.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_office_sees_open_work_besides()
    {
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var html = await (await manager.GetAsync("/office", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<title id=\"open-tickets-title\">", html);
        var today = ChinaTime.Today(TimeProvider.System);
        var owed = _app.Services.GetRequiredService<FeeReports>().Ageing("citong", today);
        Assert.Contains(SvgCharts.Format(owed.Total, ChartUnit.Yuan), html);
    }

    [GeneratedRegex("<svg class=\"chart\"[^>]*role=\"img\"")]
    private static partial Regex SvgTag();
}
