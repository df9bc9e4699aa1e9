using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;

namespace Linli.MaintenanceFund;

/// <summary>
/// The fund over HTTP: every member of the community reads; the office, committee and manager act as the rules say.
/// </summary>
public static class FundApi
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{communityId}/fund").WithTags("Maintenance fund")
            .RequireAuthorization().RequireMember();
        group.MapGet("", (string communityId, ClaimsPrincipal user, FundService fund) =>
                fund.Summary(communityId, user.FindFirstValue(LinliClaims.Unit)))
            .WithSummary("Balance, contributions, interest, withdrawals, each building's share, and the caller's flat");
        group.MapGet("/entries", (string communityId, int? take, FundService fund) =>
                fund.Entries(communityId, Math.Clamp(take ?? 100, 1, 1000)))
            .WithSummary("Movements, newest first; withdrawals name their application and the vote that allowed them");
        group.MapGet("/applications", (string communityId, FundService fund) => fund.Applications(communityId))
            .WithSummary("Applications to use or raise the fund, with their vote and status");
        group.MapGet("/applications/{number}", (string communityId, string number, FundService fund) =>
            fund.Get(communityId, number));

        var writes = group.MapGroup("").RequireRateLimiting(RateLimits.Writes);
        writes.MapPost("/applications", (string communityId, ApplicationRequest request, ClaimsPrincipal user,
                FundApplications applications) =>
            {
                var view = applications.Apply(user, communityId, request);
                return TypedResults.Created($"/api/communities/{communityId}/fund/applications/{view.Number}", view);
            })
            .WithSummary("Apply to use (or raise) the fund: opens the tea-table vote; " +
                "emergency=true (managers) spends first");
        writes.MapPost("/applications/{number}/withdrawals", (string communityId, string number, SpendRequest request,
                ClaimsPrincipal user, FundMoney money) =>
                TypedResults.Ok(money.Spend(user, communityId, number, request)))
            .WithSummary("Pay out against an application whose vote passed (409 otherwise), or a flagged emergency");
        writes.MapPost("/applications/{number}/confirmation", (string communityId, string number, ClaimsPrincipal user,
                FundApplications applications) => TypedResults.Ok(applications.Confirm(user, communityId, number)))
            .WithSummary("The committee confirms an emergency use afterwards");
        writes.MapPost("/contributions", (string communityId, ContributionRequest request, ClaimsPrincipal user,
                FundMoney money) => TypedResults.Ok(money.Contribute(user, communityId, request)))
            .WithSummary("A flat's deposit or top-up (staff)");
        writes.MapPost("/interest", (string communityId, InterestRequest request, ClaimsPrincipal user,
                FundMoney money) => TypedResults.Ok(money.Interest(user, communityId, request)))
            .WithSummary("Interest credited, shared by area (staff)");
        return routes;
    }

}
