using Linli.Accounts;
using Linli.Calendar;
using Linli.Hosting;
using Linli.People;
using Linli.PublicRevenue;
using Linli.Transparency;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Pages.Transparency;

/// <summary>
/// The open accounts (业账社审) as a page: the public one for every signed-in member of the community, and the
/// office's.
/// Charts are SVG drawn here, each with its table and CSV; the page needs no script.
/// </summary>
[Authorize]
public abstract class DashboardPage(DashboardService dashboards, RevenueLedger revenue) : PageModel
{
    public bool English => Request.Query["lang"] is var l && (l == "en" || l == "en-US");
    public string T(string zh, string en) => English ? en : zh;
    public string Lang => English ? "lang=en" : "lang=zh-CN";
    public Dashboard Board { get; private set; } = null!;
    public MonthView Revenue { get; private set; } = null!;
    public Period RevenueMonth { get; private set; }
    public abstract bool Office { get; }

    /// <summary>The reader's own community; naming another one finds nothing.</summary>
    public IActionResult OnGet(string? communityId, string? month)
    {
        var own = User.CommunityId();
        if (own is null || (communityId is not null && communityId != own)) return NotFound();
        if (Office && !MayReadOffice(own)) return StatusCode(StatusCodes.Status403Forbidden);
        Board = dashboards.Build(own, Office);
        RevenueMonth = Period.TryParse(month, out var m) ? m : Board.Through;
        Revenue = revenue.MonthOf(own, RevenueMonth, User.Serves(own));
        return Page();
    }

    /// <summary>The office's dashboard is for its staff, the committee and the manager.</summary>
    private bool MayReadOffice(string communityId) =>
        User.Serves(communityId) || User.Is(Role.Committee) || User.Is(Role.Manager);

    public string Svg(Chart chart) => SvgCharts.Svg(chart, English);
    public string Table(Chart chart) => SvgCharts.Table(chart, English);
    public string CsvLink(Chart chart) => $"/transparency/charts/{chart.Id}.csv?{Lang}{(Office ? "&office=true" : "")}";
    public string ProofLink(string proof) => $"/api/communities/{Board.CommunityId}/proofs/{proof}";
    public string Money(decimal amount) => SvgCharts.Format(amount, ChartUnit.Yuan);
    public string Name(Enum value) => OpenAccountsWords.Name(value, English);
    public string Name(string value) => OpenAccountsWords.Name(value, English);
}

public sealed class IndexModel(DashboardService dashboards, RevenueLedger revenue) : DashboardPage(dashboards, revenue)
{
    public override bool Office => false;
}

public sealed class OfficeModel(DashboardService dashboards, RevenueLedger revenue) : DashboardPage(dashboards, revenue)
{
    public override bool Office => true;
}
