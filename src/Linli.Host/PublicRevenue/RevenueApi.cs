using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Hosting;

namespace Linli.PublicRevenue;

/// <summary>
/// The public revenue ledger over HTTP: every signed-in member of the community reads it; the office writes and closes;
/// the committee and its owner auditors sign off or object.
/// </summary>
public static class RevenueApi
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{communityId}/revenue").WithTags("Public revenue")
            .RequireAuthorization().RequireMember();
        group.MapGet("", (string communityId, string? from, string? to, ClaimsPrincipal user, RevenueLedger ledger,
                TimeProvider time) =>
            {
                var (first, last) = Range(from, to, time);
                return ledger.Months(user, communityId, first, last);
            })
            .WithSummary("Months of the ledger: income, spending, balance and audit status " +
                "(default: the last 12 months)");
        group.MapGet("/{period}", (string communityId, string period, ClaimsPrincipal user, RevenueLedger ledger) =>
                ledger.Month(user, communityId, Month(period)))
            .WithSummary("One month: every line, totals by source and purpose, sign-offs and objections " +
                "with their answers");
        group.MapGet("/export.csv", (string communityId, string? from, string? to, ClaimsPrincipal user,
                RevenueLedger ledger, TimeProvider time) =>
            {
                var (first, last) = Range(from, to, time);
                return Results.Text(ledger.Csv(user, communityId, first, last), "text/csv; charset=utf-8");
            })
            .WithSummary("The ledger's lines as CSV (UTF-8 with BOM)");
        group.MapGet("/auditors", (string communityId, RevenueAudit audit) => audit.Auditors(communityId)
                .Select(a => new AuditorSeen(People.NameMask.Mask(a.Name), a.AppointedBy, a.At)))
            .WithSummary("The owners the committee appointed to audit");
        var writes = group.MapGroup("").RequireRateLimiting(RateLimits.Writes);
        writes.MapPost("/lines", (string communityId, NewLine request, ClaimsPrincipal user, RevenueEntries entries) =>
            {
                var line = entries.Record(user, communityId, request);
                return TypedResults.Created($"/api/communities/{communityId}/revenue/{line.Period}", line);
            })
            .WithSummary("Record income or spending (staff)");
        writes.MapPost("/lines/{number:int}/reversal", (string communityId, int number, ReversalRequest request,
                ClaimsPrincipal user, RevenueEntries entries) =>
                TypedResults.Ok(entries.Reverse(user, communityId, number, request)))
            .WithSummary("Cancel a line with its opposite (staff): lines are never changed or deleted");
        writes.MapPost("/{period}/close", (string communityId, string period, ClaimsPrincipal user,
                RevenueClosing closing) => TypedResults.Ok(closing.Close(user, communityId, Month(period))))
            .WithSummary("Close a month that has ended (staff); earlier months first");
        writes.MapPost("/{period}/sign-off", (string communityId, string period, TextBody? body, ClaimsPrincipal user,
                RevenueAudit audit) => TypedResults.Ok(audit.SignOff(user, communityId, Month(period), body?.Text)))
            .WithSummary("Sign a closed month off (committee and owner auditors)");
        writes.MapPost("/lines/{number:int}/objections", (string communityId, int number, TextBody body,
                ClaimsPrincipal user, RevenueAudit audit) =>
                TypedResults.Ok(audit.Object(user, communityId, number, body.Text)))
            .WithSummary("Object to a line of a closed month (committee and owner auditors)");
        writes.MapPost("/objections/{id:int}/answer", (string communityId, int id, TextBody body, ClaimsPrincipal user,
                RevenueAudit audit) => TypedResults.Ok(audit.Answer(user, communityId, id, body.Text)))
            .WithSummary("Answer an objection in writing (staff)");
        writes.MapPost("/auditors", (string communityId, AppointRequest request, ClaimsPrincipal user,
                RevenueAudit audit) => TypedResults.Ok(audit.Appoint(user, communityId, request)))
            .WithSummary("Appoint an owner auditor (committee)");
        return routes;
    }

    private static Period Month(string text) =>
        Period.TryParse(text, out var p)
            ? p
            : throw DomainProblem.Bad("revenue.bad_period", new { text });

    private static (Period, Period) Range(string? from, string? to, TimeProvider time)
    {
        var last = to is null ? Period.Current(time) : Month(to);
        var first = from is null ? last.AddMonths(-11) : Month(from);
        if (first > last || first.MonthsUntil(last) >= 60)
            throw DomainProblem.Bad("revenue.bad_range");
        return (first, last);
    }
}

/// <summary>An appointed auditor as every owner sees them: the name masked.</summary>
public sealed record AuditorSeen(string Name, string AppointedBy, DateTimeOffset At);
