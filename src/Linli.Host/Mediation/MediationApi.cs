using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
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

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        // Who may see a case is the service's question (404 to anyone else), so members of every kind come in here.
        var group = routes.MapGroup("/api/communities/{communityId}/mediation").WithTags("Mediation")
            .RequireAuthorization().RequireRateLimiting(RateLimits.Writes);
        group.MapPost("/cases", Open).RequireAuthorization(AuthApi.ServicePolicy)
            .WithSummary("Open a case at the office: from a complaint ticket (ticketNumber), or with its parties");
        group.MapGet("/cases", List)
            .WithSummary("The cases the caller may see: as a party, the mediator, a manager, or who opened them");
        group.MapGet("/cases/{number}", Get).WithSummary("One case (404 if it does not exist or is not the caller's)");
        group.MapPost("/cases/{number}/mediator", Assign)
            .WithSummary("Assign the mediator (a manager; or a mediator takes an unassigned case)");
        group.MapPost("/cases/{number}/sessions", AddSession)
            .WithSummary("Record a mediation session: when, where, who came, notes");
        group.MapPost("/cases/{number}/agreement", RecordAgreement)
            .WithSummary("Record the agreement text (rewritable until the case is decided)");
        group.MapPost("/cases/{number}/outcome", Decide)
            .WithSummary("Decide the case once: Settled (needs an agreement), Failed, Referred (to whom), Withdrawn");
        group.MapPost("/cases/{number}/follow-up", FollowUp)
            .WithSummary("Plan the return visit after a decision (due), or record it done");
        group.MapGet("/stats", Stats).RequireMember(MediationRules.NotMember)
            .WithSummary("Cases opened and decided per month, and the settled rate; names nobody")
            .WithDescription("`from` and `to` are months like 2026-01 (default: the 12 months up to this one). The " +
                "settled rate is settled ÷ (settled + failed + referred); withdrawn cases are left out of it.");

        routes.MapPost("/api/me/mediation", Apply).WithTags("Mediation")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Resident))).RequireRateLimiting(RateLimits.Writes)
            .WithSummary("申请调解: a signed-in resident asks the mediation team to help with a dispute");
        return routes;
    }

    private static Created<CaseView> Open(string communityId, OpenCase request, ClaimsPrincipal user,
        MediationIntake intake, MediationService mediation) =>
        Opened(mediation, user, intake.Open(user, communityId, request));

    private static Created<CaseView> Apply(Application request, ClaimsPrincipal user, MediationIntake intake,
        MediationService mediation) =>
        Opened(mediation, user, intake.Apply(user.CommunityId() ?? "", user.PersonId() ?? "",
            user.FindFirstValue(LinliClaims.Unit) ?? "", request.Subject ?? "", request.Kind ?? "", request.OtherFlat,
            "web", request.Text));

    private static Ok<CaseView[]> List(string communityId, ClaimsPrincipal user, MediationService mediation) =>
        TypedResults.Ok(mediation.VisibleTo(user, communityId).Select(c => mediation.View(c, user)).ToArray());

    private static Ok<CaseView> Get(string communityId, string number, ClaimsPrincipal user,
        MediationService mediation) =>
        Shown(mediation, user, mediation.Get(user, communityId, number));

    private static Ok<CaseView> Assign(string communityId, string number, MediatorChoice choice, ClaimsPrincipal user,
        MediationCasework work, MediationService mediation) =>
        Shown(mediation, user, work.AssignMediator(user, communityId, number, choice.PersonId));

    private static Ok<CaseView> AddSession(string communityId, string number, SessionInput session,
        ClaimsPrincipal user, MediationCasework work, MediationService mediation) =>
        Shown(mediation, user, work.AddSession(user, communityId, number, session));

    private static Ok<CaseView> RecordAgreement(string communityId, string number, AgreementInput agreement,
        ClaimsPrincipal user, MediationCasework work, MediationService mediation) =>
        Shown(mediation, user, work.RecordAgreement(user, communityId, number, agreement.Text));

    private static Ok<CaseView> Decide(string communityId, string number, OutcomeInput outcome,
        ClaimsPrincipal user, MediationCasework work, MediationService mediation) =>
        Shown(mediation, user, work.Decide(user, communityId, number, outcome));

    private static Ok<CaseView> FollowUp(string communityId, string number, FollowUpInput followUp,
        ClaimsPrincipal user, MediationCasework work, MediationService mediation) =>
        Shown(mediation, user, work.FollowUp(user, communityId, number, followUp));

    private static Ok<MonthlyMediation[]> Stats(string communityId, string? from, string? to,
        MediationService mediation, TimeProvider time)
    {
        var last = Month(to, "to") ?? Period.Current(time);
        var first = Month(from, "from") ?? last.AddMonths(-11);
        if (first > last) throw DomainProblem.Bad("mediation.from_after_to", field: "from");
        if (first.MonthsUntil(last) >= MaxMonths)
            throw DomainProblem.Bad("mediation.too_many_months", new { max = MaxMonths }, "from");
        return TypedResults.Ok(mediation.Monthly(communityId, first, last).ToArray());
    }

    /// <summary>The month <paramref name="text"/> names, or null; anything else is a 400 naming the field.</summary>
    private static Period? Month(string? text, string field) =>
        text is null ? null
        : Period.TryParse(text, out var month) ? month
        : throw DomainProblem.Bad("mediation.not_a_month", new { text }, field);

    /// <summary>The case as the caller sees it.</summary>
    private static Ok<CaseView> Shown(MediationService mediation, ClaimsPrincipal user, MediationCase found) =>
        TypedResults.Ok(mediation.View(found, user));

    private static Created<CaseView> Opened(MediationService mediation, ClaimsPrincipal user, MediationCase opened) =>
        TypedResults.Created($"/api/communities/{opened.CommunityId}/mediation/cases/{opened.Number}",
            mediation.View(opened, user));
}
