using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;

namespace Linli.Transparency;

/// <summary>
/// Open accounts (业账社审): the dashboards every owner reads (pages under /transparency), their charts as
/// CSV, and the chat's answers about them.
/// </summary>
public static class TransparencyModule
{
    public static IHostApplicationBuilder AddTransparency(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FeeDashboard>();
        builder.Services.AddSingleton<DashboardService>();
        builder.Services.AddSingleton<OpenAccountsAnswers>();
        builder.Services.AddSingleton<Bot.Dialogs.IDialogHandler, OpenAccountsHandler>();
        return builder;
    }

    /// <summary>Each chart's numbers as CSV, for the reader's own community.</summary>
    public static IEndpointRouteBuilder MapTransparency(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/transparency/charts/{id}.csv", (string id, bool? office, string? lang,
                ClaimsPrincipal user, DashboardService dashboards) =>
            {
                var community = user.CommunityId();
                if (community is null) return Results.Unauthorized();
                var asOffice = office == true && (user.Serves(community) || user.Is(Role.Committee));
                return dashboards.Chart(community, id, asOffice) is { } chart
                    ? Results.File(System.Text.Encoding.UTF8.GetBytes(SvgCharts.Csv(chart, lang is "en" or "en-US")),
                        "text/csv; charset=utf-8", $"linli-{community}-{id}.csv")
                    : throw DomainProblem.NotFound("transparency.no_such_chart");
            })
            .RequireAuthorization()
            .WithTags("Open accounts")
            .WithSummary("A dashboard chart's numbers as CSV (UTF-8 with BOM)");
        return routes;
    }
}
