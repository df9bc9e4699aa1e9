using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Fees.Payments;
using Linli.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.SemanticKernel;
using Linli.Communities;

namespace Linli.Fees;

public static class FeesApi
{
    private const int MaxMonths = 60;

    public static IEndpointRouteBuilder MapFees(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{communityId}").WithTags("Fees");

        // Collection rates are published to every owner (业账社审); they name no unit.
        group.MapGet("/collection-rate", GetCollectionRate)
            .WithSummary("Collection rate (收缴率) per month")
            .WithDescription("Billed and paid totals per month for a community. `from` and `to` are months like "
                + "2026-03 (default: the 12 months before this one).");
        var members = group.MapGroup("").RequireAuthorization();
        members.MapGet("/collection-rate/year-to-date", YearToDate)
            .WithSummary("Collection rates for the year so far (by amount and by flat-month)")
            .WithDescription("`through` is a month like 2026-10 (default: last month); `building` a building number.");
        members.MapGet("/arrears-ageing", Ageing)
            .WithSummary("Arrears by how long ago they fell due: ≤30, 31–90, 91–180, 181–365, >365 days")
            .WithDescription(
                "`asOf` is a date like 2026-11-15 (default: today in China); `building` a building number.");
        routes.MapPayments();
        return routes;
    }

    private static Results<Ok<CollectionRate[]>, ValidationProblem, ProblemHttpResult> GetCollectionRate(
        string communityId, string? from, string? to, ICommunityStore communities, FeeReports reports,
        TimeProvider time)
    {
        if (communities.Find(communityId) is null)
            return TypedResults.Problem(statusCode: 404, title: "Community not found",
                detail: $"No community has the id '{communityId}'.");

        var errors = new Dictionary<string, string[]>();
        var start = MonthOrError(from, "from", errors);
        var end = MonthOrError(to, "to", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var last = end ?? Period.Current(time).AddMonths(-1);
        var first = start ?? last.AddMonths(-11);
        if (first > last)
            return Invalid("from", "'from' must not be after 'to'.");
        if (first.MonthsUntil(last) >= MaxMonths)
            return Invalid("from", $"Ask for at most {MaxMonths} months at a time.");

        var rates = new List<CollectionRate>();
        for (var p = first; p <= last; p = p.AddMonths(1)) rates.Add(reports.CollectionRate(communityId, p));
        return TypedResults.Ok(rates.ToArray());
    }

    /// <summary>The month <paramref name="text"/> names, or null; what is wrong with it goes in errors.</summary>
    private static Period? MonthOrError(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (Period.TryParse(text, out var month)) return month;
        errors[name] = [$"'{text}' is not a month like 2026-03."];
        return null;
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static YearToDate YearToDate(string communityId, string? through, int? building, ClaimsPrincipal user,
        FeeReports reports, ICommunityStore communities, TimeProvider time)
    {
        user.MustBelongTo(communityId);
        var month = Month(through, "through") ?? Period.Current(time).AddMonths(-1);
        return reports.YearToDate(communityId, month, BuildingId(communities, communityId, building));
    }

    private static ArrearsAgeing Ageing(string communityId, DateOnly? asOf, int? building, ClaimsPrincipal user,
        FeeReports reports, ICommunityStore communities, TimeProvider time)
    {
        user.MustBelongTo(communityId);
        var day = asOf ?? ChinaTime.Today(time);
        return reports.Ageing(communityId, day, BuildingId(communities, communityId, building));
    }

    private static Period? Month(string? text, string name) =>
        text is null ? null
        : Period.TryParse(text, out var p) ? p
        : throw DomainProblem.Bad($"Bad {name}", $"'{text}' is not a month like 2026-03.");

    internal static string? BuildingId(ICommunityStore communities, string communityId, int? number) =>
        number is not { } n ? null
        : communities.FindBuilding(communityId, n)?.Id
            ?? throw DomainProblem.NotFound("No such building", $"There is no building {n} here.");
}

public static class FeesExtensions
{
    public static IHostApplicationBuilder AddFees(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<FeesOptions>(FeesOptions.SectionName);
        builder.Services.AddSingleton<FeeReports>();
        builder.Services.AddSingleton<CollectionRateAnswer>();
        builder.Services.AddSingleton<Payments.PaymentLedger>();
        builder.Services.AddSingleton<ArrearsReminders>();
        builder.Services.AddSingleton<Bot.Dialogs.IDialogHandler, FeeQueryHandler>();
        builder.Services.AddSingleton(sp => KernelPluginFactory.CreateFromType<FeesPlugin>(FeesPlugin.PluginName, sp));
        return builder;
    }
}
