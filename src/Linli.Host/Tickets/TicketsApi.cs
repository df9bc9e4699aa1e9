using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Tickets;

public sealed record TicketUpdate(string? Status, string? AssigneeId, string? Note);

public sealed record LadderRequest(string? Step);

/// <summary>
/// assign (指派, to), round_robin (轮训), transfer (转单, to + reason), send_back (退单, reason).
/// </summary>
public sealed record DispatchRequest(string? Action, string? To, string? Reason);

/// <summary>
/// The ticket queue for staff: list, filter, read, move on, the emergency ladder and the duty roster. Staff see their
/// own community only (the group's filter). A refusal is a DomainProblem, said once for every endpoint.
/// </summary>
public static class TicketsApi
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api").WithTags("Tickets").RequireAuthorization(AuthApi.ServicePolicy)
            .RequireRateLimiting(Hosting.RateLimits.Writes).RequireStaffOf();
        staff.MapGet("/communities/{communityId}/tickets", List)
            .WithSummary("The community's tickets, open ones first by urgency and due time");
        staff.MapGet("/tickets/{number}", Get).WithSummary("One ticket with its history");
        staff.MapPatch("/tickets/{number}", UpdateAsync)
            .WithSummary("Change status and/or assignee; the resident is told in their chat");
        staff.MapPost("/tickets/{number}/claim", ClaimAsync).WithSummary(
            "抢单: take an unassigned ticket; of simultaneous claims exactly one wins (409 names the winner)");
        staff.MapPost("/tickets/{number}/dispatch", DispatchAsync)
            .WithSummary(
                "Assign (指派), round robin (轮训), transfer (转单) or send back (退单) with a reason");
        staff.MapPost("/tickets/{number}/ladder", LadderAsync)
            .WithSummary("Emergency 1-3-5 ladder: acknowledge, on_the_way, on_site");
        DutyRosterApi.Map(staff);
        return routes;
    }

    private static DomainProblem NotTheHolder() => DomainProblem.Forbidden("tickets.not_the_holder");

    private static bool IsManager(ClaimsPrincipal user) => user.Is(Role.Manager) || user.Is(Role.Admin);

    /// <summary>
    /// Giving a ticket to <paramref name="to"/>: anyone on staff may when nobody has it (指派) or when taking it
    /// themselves is not the question; once someone has it, only they or a manager may hand it to another (转单).
    /// </summary>
    private static bool MayReassign(Ticket ticket, string to, ClaimsPrincipal user) =>
        ticket.AssigneeId is null || ticket.AssigneeId == to || ticket.AssigneeId == user.PersonId() || IsManager(user);

    internal static DomainProblem NotFound(string number) => TicketService.NotFound(number);

    private static Ok<TicketView[]> List(string communityId, TicketService tickets, TicketPeople people,
        TimeProvider time, string? kind, string? status, string? urgency, int? building, string? assignee, bool? open,
        int? skip, int? take)
    {
        var wanted = EnumNames.ParseOptional<TicketStatus>(status, "status", "tickets.unknown_status");
        var filter = new TicketFilter(kind, wanted, urgency, building, assignee, open ?? false);
        var page = tickets.List(communityId, filter, Math.Max(0, skip ?? 0), Math.Clamp(take ?? 50, 1, 500));
        return TypedResults.Ok(page.Select(t => TicketViews.View(t, people, time)).ToArray());
    }

    private static Ok<TicketView> Get(string number, ClaimsPrincipal user, TicketService tickets, TicketPeople people,
        TimeProvider time) =>
        TypedResults.Ok(TicketViews.View(tickets.Own(user, number) ?? throw NotFound(number), people, time));

    private static async Task<Ok<TicketView>> ClaimAsync(string number, ClaimsPrincipal user, TicketService tickets,
        TicketWorkflow workflow, TicketPeople people, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var ticket = tickets.Own(user, number) ?? throw NotFound(number);
        var (current, won) = await workflow.ClaimAsync(number, user.PersonId()!, user.DisplayName(), cancellationToken);
        if (!won)
        {
            var holder = people.Ref(ticket.CommunityId, current.AssigneeId);
            var said = new Dictionary<string, object?> { ["assignee"] = holder, ["version"] = current.Version };
            throw current.AssigneeId is { } id
                ? new DomainProblem(409, "tickets.taken_by", new { holder = holder?.Name ?? id }) { Extensions = said }
                : new DomainProblem(409, "tickets.taken_status", new { number, current.Status }) { Extensions = said };
        }
        audit.Record(user, "ticket.claim", number);
        return TypedResults.Ok(TicketViews.View(current, people, time));
    }

    private static async Task<Ok<TicketView>> DispatchAsync(string number, DispatchRequest request,
        ClaimsPrincipal user, TicketService tickets, TicketWorkflow workflow, TicketPeople people, AuditTrail audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var ticket = tickets.Own(user, number) ?? throw NotFound(number);
        var needsReason = request.Action is "transfer" or "send_back";
        if (needsReason && string.IsNullOrWhiteSpace(request.Reason))
            throw DomainProblem.Bad("tickets.reason_needed");
        if (request.Reason is { Length: > 500 }) throw DomainProblem.Bad("tickets.reason_too_long");
        // 指派 to someone else of a ticket that someone already has is 转单: the holder or a manager only.
        if (request.Action == "assign" && request.To is not null && !MayReassign(ticket, request.To, user))
            throw NotTheHolder();
        var (by, byPerson, manager) = (user.DisplayName(), user.PersonId()!, IsManager(user));
        var changed = request.Action switch
        {
            "assign" when request.To is { } to => await workflow.AssignAsync(number, to, by, cancellationToken),
            "round_robin" => await workflow.AssignRoundRobinAsync(number, by, cancellationToken),
            "transfer" when request.To is { } to =>
                await workflow.HandOnAsync(number, to, request.Reason!, byPerson, manager, by, cancellationToken),
            "send_back" =>
                await workflow.HandOnAsync(number, null, request.Reason!, byPerson, manager, by, cancellationToken),
            _ => null,
        };
        if (changed is null) throw DomainProblem.Bad("tickets.unknown_dispatch");
        var detail = string.Join("; ", new[] { request.To, request.Reason }.Where(x => x is not null));
        audit.Record(user, "ticket." + request.Action, number, detail);
        return TypedResults.Ok(TicketViews.View(changed, people, time));
    }

    private static async Task<Ok<TicketView>> UpdateAsync(string number, TicketUpdate update, ClaimsPrincipal user,
        TicketService tickets, TicketWorkflow workflow, TicketPeople people, AuditTrail audit, TimeProvider time,
        HttpContext http, CancellationToken cancellationToken)
    {
        var ticket = tickets.Own(user, number) ?? throw NotFound(number);
        // A console sends the version it shows (If-Match: "7"); a change made meanwhile wins and this one is refused.
        int? expected = null;
        if (http.Request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch)
        {
            if (!int.TryParse(ifMatch.Trim('"', 'W', '/'), out var v))
                throw DomainProblem.Bad("tickets.bad_if_match");
            expected = v;
        }
        var status = EnumNames.ParseOptional<TicketStatus>(update.Status, "status", "tickets.unknown_status");
        if (update.AssigneeId is { } to && !MayReassign(ticket, to, user)) throw NotTheHolder();
        if (status is null && update.AssigneeId is null && string.IsNullOrWhiteSpace(update.Note))
            throw DomainProblem.Bad("tickets.nothing_to_change");
        if (update.Note is { Length: > 1000 }) throw DomainProblem.Bad("tickets.note_too_long");

        var write = await workflow.UpdateAsync(number, status, update.AssigneeId, user.DisplayName(), update.Note,
            cancellationToken, expected);
        if (!write.Saved) throw Stale(write.After);
        var assigned = update.AssigneeId is null ? "" : $"; assignee {update.AssigneeId}";
        audit.Record(user, "ticket.update", number, $"{ticket.Status} → {write.After.Status}{assigned}");
        return TypedResults.Ok(TicketViews.View(write.After, people, time));
    }

    /// <summary>
    /// The console's version is behind: the change is refused, with the version the ticket is at now.
    /// </summary>
    private static DomainProblem Stale(Ticket current) =>
        new(412, "tickets.stale", new { current.Number, current.Version })
        {
            Extensions = new Dictionary<string, object?> { ["version"] = current.Version },
        };

    private static async Task<Ok<TicketView>> LadderAsync(string number, LadderRequest request, ClaimsPrincipal user,
        TicketService tickets, TicketWorkflow workflow, TicketPeople people, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        _ = tickets.Own(user, number) ?? throw NotFound(number);
        LadderStep? step = request.Step switch
        {
            "acknowledge" => LadderStep.Acknowledge,
            "on_the_way" => LadderStep.OnTheWay,
            "on_site" => LadderStep.OnSite,
            _ => null,
        };
        if (step is null) throw DomainProblem.Bad("tickets.unknown_step");
        var changed = await workflow.LadderAsync(number, step.Value, user.PersonId()!, user.DisplayName(),
            cancellationToken);
        audit.Record(user, "emergency.ladder", number, request.Step);
        return TypedResults.Ok(TicketViews.View(changed, people, time));
    }
}
