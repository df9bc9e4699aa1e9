using Linli.Fees.Payments;
using Linli.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

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
            .WithDescription("Billed and paid totals per month for a community. `from` and `to` are months like 2026-03 (default: the 12 months before this one).");
        routes.MapPayments();
        return routes;
    }

    private static Results<Ok<CollectionRate[]>, ValidationProblem, ProblemHttpResult> GetCollectionRate(
        string communityId, string? from, string? to, LinliDatabase db, FeeStore fees, TimeProvider time)
    {
        if (db.Communities.FindById(communityId) is null)
            return TypedResults.Problem(statusCode: 404, title: "Community not found", detail: $"No community has the id '{communityId}'.");

        var errors = new Dictionary<string, string[]>();
        Period? start = null, end = null;
        if (from is not null) { if (Period.TryParse(from, out var f)) start = f; else errors["from"] = [$"'{from}' is not a month like 2026-03."]; }
        if (to is not null) { if (Period.TryParse(to, out var t)) end = t; else errors["to"] = [$"'{to}' is not a month like 2026-03."]; }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var last = end ?? Period.Current(time).AddMonths(-1);
        var first = start ?? last.AddMonths(-11);
        if (first > last)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["'from' must not be after 'to'."] });
        if (first.MonthsUntil(last) >= MaxMonths)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [$"Ask for at most {MaxMonths} months at a time."] });

        var rates = new List<CollectionRate>();
        for (var p = first; p <= last; p = p.AddMonths(1)) rates.Add(fees.CollectionRate(communityId, p));
        return TypedResults.Ok(rates.ToArray());
    }
}

public static class FeesExtensions
{
    public static IHostApplicationBuilder AddFees(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FeeStore>();
        builder.Services.AddSingleton<Payments.PaymentLedger>();
        return builder;
    }
}
