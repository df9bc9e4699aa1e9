using Linli.Accounts;
using Linli.Calendar;
using Linli.Communities;
using Linli.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Fees;

public static class FeesApi
{
    private const int MaxMonths = 60;

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{communityId}").WithTags("Fees");

        // Collection rates are published to every owner (业账社审); they name no unit.
        group.MapGet("/collection-rate", GetCollectionRate)
            .WithSummary("Collection rate (收缴率) per month")
            .WithDescription("Billed and paid totals per month for a community. `from` and `to` are months like "
                + "2026-03 (default: the 12 months before this one).");
        var members = group.MapGroup("").RequireAuthorization().RequireMember();
        members.MapGet("/collection-rate/year-to-date", YearToDate)
            .WithSummary("Collection rates for the year so far (by amount and by flat-month)")
            .WithDescription("`through` is a month like 2026-10 (default: last month); `building` a building number.");
        members.MapGet("/arrears-ageing", Ageing)
            .WithSummary("Arrears by how long ago they fell due: ≤30, 31–90, 91–180, 181–365, >365 days")
            .WithDescription(
                "`asOf` is a date like 2026-11-15 (default: today in China); `building` a building number.");
        return routes;
    }

    private static Ok<CollectionRate[]> GetCollectionRate(string communityId, string? from, string? to,
        ICommunityStore communities, FeeReports reports, TimeProvider time)
    {
        if (communities.Find(communityId) is null)
            throw DomainProblem.NotFound("communities.not_found", new { communityId });

        var start = MonthOf(from, "from");
        var last = MonthOf(to, "to") ?? Period.Current(time).AddMonths(-1);
        var first = start ?? last.AddMonths(-11);
        if (first > last) throw DomainProblem.Bad("fees.from_after_to", field: "from");
        if (first.MonthsUntil(last) >= MaxMonths)
            throw DomainProblem.Bad("fees.too_many_months", new { max = MaxMonths }, "from");

        var rates = new List<CollectionRate>();
        for (var p = first; p <= last; p = p.AddMonths(1)) rates.Add(reports.CollectionRate(communityId, p));
        return TypedResults.Ok(rates.ToArray());
    }

    /// <summary>The month <paramref name="text"/> names, or null; anything else is a 400 naming the field.</summary>
    private static Period? MonthOf(string? text, string field) =>
        text is null ? null
        : Period.TryParse(text, out var month) ? month
        : throw DomainProblem.Bad("fees.not_a_month", new { text }, field);

    private static YearToDate YearToDate(string communityId, string? through, int? building, FeeReports reports,
        ICommunityStore communities, TimeProvider time)
    {
        var month = Month(through, "through") ?? Period.Current(time).AddMonths(-1);
        return reports.YearToDate(communityId, month, BuildingId(communities, communityId, building));
    }

    private static ArrearsAgeing Ageing(string communityId, DateOnly? asOf, int? building, FeeReports reports,
        ICommunityStore communities, TimeProvider time) =>
        reports.Ageing(communityId, asOf ?? ChinaTime.Today(time), BuildingId(communities, communityId, building));

    private static Period? Month(string? text, string name) =>
        text is null ? null
        : Period.TryParse(text, out var p) ? p
        : throw DomainProblem.Bad("fees.bad_month_named", new { name, text });

    internal static string? BuildingId(ICommunityStore communities, string communityId, int? number) =>
        number is not { } n ? null
        : communities.FindBuilding(communityId, n)?.Id
            ?? throw DomainProblem.NotFound("fees.no_such_building", new { building = n });
}
