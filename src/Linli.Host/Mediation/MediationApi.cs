using System.Security.Claims;
using Linli.Accounts;
using Linli.Fees;
using Linli.Hosting;
using Linli.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Mediation;

/// <param name="OtherFlat">The other side's flat, if the resident knows it: "3栋602".</param>
public sealed record Application(string? Subject, string? Kind, string? OtherFlat, string? Text);

/// <summary>Mediation cases for the office, the mediator and the parties; the settled rate for every member.</summary>
public static class MediationApi
{
    private const int MaxMonths = 60;

    public static IHostApplicationBuilder AddMediation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MediationService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMediation(this IEndpointRouteBuilder routes)
    {
        // Who may see a case is the service's question (404 to anyone else), so members of every kind come in here.
        var group = routes.MapGroup("/api/communities/{communityId}/mediation").WithTags("Mediation")
            .RequireAuthorization().RequireRateLimiting(RateLimits.Writes);
        group.MapPost("/cases", Open).RequireAuthorization(AuthApi.ServicePolicy)
            .WithSummary("Open a case at the office: from a complaint ticket (ticketNumber), or with the parties given");
        group.MapGet("/cases", (string communityId, ClaimsPrincipal user, MediationService mediation) =>
            Answer(() => mediation.VisibleTo(user, communityId).Select(c => mediation.View(c, user)).ToArray()))
            .WithSummary("The cases the caller may see: as a party, the mediator, a manager, or who opened them");
        group.MapGet("/cases/{number}", (string communityId, string number, ClaimsPrincipal user, MediationService mediation) =>
            Answer(() => mediation.View(mediation.Get(user, communityId, number), user)))
            .WithSummary("One case (404 when it does not exist or is not the caller's to see)");
        group.MapPost("/cases/{number}/mediator", (string communityId, string number, MediatorChoice choice, ClaimsPrincipal user,
                MediationService mediation) => Changed(mediation, user, () => mediation.AssignMediator(user, communityId, number, choice.PersonId)))
            .WithSummary("Assign the mediator (a manager; or a mediator takes an unassigned case)");
        group.MapPost("/cases/{number}/sessions", (string communityId, string number, SessionInput session, ClaimsPrincipal user,
                MediationService mediation) => Changed(mediation, user, () => mediation.AddSession(user, communityId, number, session)))
            .WithSummary("Record a mediation session: when, where, who came, notes");
        group.MapPost("/cases/{number}/agreement", (string communityId, string number, AgreementInput agreement, ClaimsPrincipal user,
                MediationService mediation) => Changed(mediation, user, () => mediation.RecordAgreement(user, communityId, number, agreement.Text)))
            .WithSummary("Record the agreement text (rewritable until the case is decided)");
        group.MapPost("/cases/{number}/outcome", (string communityId, string number, OutcomeInput outcome, ClaimsPrincipal user,
                MediationService mediation) => Changed(mediation, user, () => mediation.Decide(user, communityId, number, outcome)))
            .WithSummary("Decide the case once: Settled (needs an agreement), Failed, Referred (to whom), Withdrawn");
        group.MapPost("/cases/{number}/follow-up", (string communityId, string number, FollowUpInput followUp, ClaimsPrincipal user,
                MediationService mediation) => Changed(mediation, user, () => mediation.FollowUp(user, communityId, number, followUp)))
            .WithSummary("Plan the return visit after a decision (due), or record it done");
        group.MapGet("/stats", Stats)
            .WithSummary("Cases opened and decided per month, and the settled rate; names nobody")
            .WithDescription("`from` and `to` are months like 2026-01 (default: the 12 months up to this one). The settled " +
                "rate is settled ÷ (settled + failed + referred); withdrawn cases are left out of it.");

        routes.MapPost("/api/me/mediation", ApplyAsync).WithTags("Mediation")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Resident))).RequireRateLimiting(RateLimits.Writes)
            .WithSummary("申请调解: a signed-in resident asks the mediation team to help with a dispute");
        return routes;
    }

    private static Results<Created<CaseView>, ProblemHttpResult> Open(string communityId, OpenCase request, ClaimsPrincipal user,
        MediationService mediation) =>
        Create(mediation, user, () => mediation.Open(user, communityId, request));

    private static Results<Created<CaseView>, ProblemHttpResult> ApplyAsync(Application request, ClaimsPrincipal user,
        MediationService mediation) =>
        Create(mediation, user, () => mediation.Apply(user.CommunityId() ?? "", user.PersonId() ?? "",
            user.FindFirstValue(LinliClaims.Unit) ?? "", request.Subject ?? "", request.Kind ?? "", request.OtherFlat, "web", request.Text));

    private static Results<Ok<MonthlyMediation[]>, ProblemHttpResult> Stats(string communityId, string? from, string? to,
        ClaimsPrincipal user, MediationService mediation, TimeProvider time)
    {
        if (user.CommunityId() != communityId)
            return TypedResults.Problem(statusCode: 403, title: "Not your community",
                detail: $"您不属于小区 '{communityId}'。You are not a member of community '{communityId}'.");
        var errors = new Dictionary<string, string[]>();
        var last = Month(to, "to", errors) ?? Period.Current(time);
        var first = Month(from, "from", errors) ?? last.AddMonths(-11);
        if (errors.Count == 0 && first > last) errors["from"] = ["'from' 不能晚于 'to'。'from' must not be after 'to'."];
        if (errors.Count == 0 && first.MonthsUntil(last) >= MaxMonths) errors["from"] = [$"一次最多 {MaxMonths} 个月。At most {MaxMonths} months at a time."];
        if (errors.Count > 0) return TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = 400 });
        return TypedResults.Ok(mediation.Monthly(communityId, first, last).ToArray());
    }

    private static Period? Month(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (Period.TryParse(text, out var month)) return month;
        errors[field] = [$"'{text}' 不是月份，例如 2026-03。'{text}' is not a month like 2026-03."];
        return null;
    }

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Func<T> work)
    {
        try { return TypedResults.Ok(work()); }
        catch (MediationException ex) { return Problem(ex); }
    }

    private static Results<Ok<CaseView>, ProblemHttpResult> Changed(MediationService mediation, ClaimsPrincipal user,
        Func<MediationCase> change) =>
        Answer(() => mediation.View(change(), user));

    private static Results<Created<CaseView>, ProblemHttpResult> Create(MediationService mediation, ClaimsPrincipal user,
        Func<MediationCase> open)
    {
        try
        {
            var opened = open();
            return TypedResults.Created($"/api/communities/{opened.CommunityId}/mediation/cases/{opened.Number}", mediation.View(opened, user));
        }
        catch (MediationException ex) { return Problem(ex); }
    }

    private static ProblemHttpResult Problem(MediationException ex) => ex.Field is { } field
        ? TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [ex.Message] })
        {
            Status = ex.Status, Title = ex.Title,
        })
        : TypedResults.Problem(statusCode: ex.Status, title: ex.Title, detail: ex.Message);
}
