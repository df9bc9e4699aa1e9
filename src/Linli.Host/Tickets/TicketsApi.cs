using System.Security.Claims;
using Linli.Accounts;
using Linli.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Tickets;

public sealed record TicketUpdate(string? Status, string? AssigneeId, string? Note);

public sealed record LadderRequest(string? Step);

/// <summary>assign (指派, to), round_robin (轮训), transfer (转单, to + reason), send_back (退单, reason).</summary>
public sealed record DispatchRequest(string? Action, string? To, string? Reason);

/// <summary>
/// The ticket queue for staff: list, filter, read, move on, the emergency ladder and the duty roster. Staff see their
/// own community only. A change the workflow refuses is answered by the DomainProblem it throws.
/// </summary>
public static class TicketsApi
{
    public static IEndpointRouteBuilder MapTickets(this IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api").WithTags("Tickets").RequireAuthorization(AuthApi.ServicePolicy)
            .RequireRateLimiting(Hosting.RateLimits.Writes);
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
        staff.MapDutyRoster();
        return routes;
    }

    internal static ProblemHttpResult Forbidden(string communityId) => TypedResults.Problem(statusCode: 403,
        title: "Not your community", detail: $"You are not staff of community '{communityId}'.");

    private static ProblemHttpResult NotTheHolder() => TypedResults.Problem(statusCode: 403,
        title: "Not your ticket to pass on",
        detail: "Only the person who has the ticket, or a manager, can give it to someone else.");

    private static bool IsManager(ClaimsPrincipal user) => user.Is(Role.Manager) || user.Is(Role.Admin);

    /// <summary>
    /// Giving a ticket to <paramref name="to"/>: anyone on staff may when nobody has it (指派) or when taking it
    /// themselves is not the question; once someone has it, only they or a manager may hand it to another (转单).
    /// </summary>
    private static bool MayReassign(Ticket ticket, string to, ClaimsPrincipal user) =>
        ticket.AssigneeId is null || ticket.AssigneeId == to || ticket.AssigneeId == user.PersonId() || IsManager(user);

    internal static ProblemHttpResult NotFound(string number) => TypedResults.Problem(statusCode: 404,
        title: "Ticket not found", detail: $"No ticket {number} in your community.");

    internal static ProblemHttpResult Bad(string title, string detail) =>
        TypedResults.Problem(statusCode: 400, title: title, detail: detail);

    private static ProblemHttpResult UnknownStatus() => Bad("Unknown status",
        $"status must be one of {string.Join(", ", Enum.GetNames<TicketStatus>())}.");

    private static Results<Ok<TicketView[]>, ProblemHttpResult> List(string communityId, ClaimsPrincipal user,
        TicketService tickets, TicketPeople people, TimeProvider time, string? kind, string? status, string? urgency,
        int? building, string? assignee, bool? open, int? skip, int? take)
    {
        if (!user.Serves(communityId)) return Forbidden(communityId);
        TicketStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<TicketStatus>(status, ignoreCase: true, out var parsed)) return UnknownStatus();
            wanted = parsed;
        }
        var filter = new TicketFilter(kind, wanted, urgency, building, assignee, open ?? false);
        var page = tickets.List(communityId, filter, Math.Max(0, skip ?? 0), Math.Clamp(take ?? 50, 1, 500));
        return TypedResults.Ok(page.Select(t => TicketViews.View(t, people, time)).ToArray());
    }

    private static Results<Ok<TicketView>, ProblemHttpResult> Get(string number, ClaimsPrincipal user,
        TicketService tickets, TicketPeople people, TimeProvider time) =>
        tickets.Own(user, number) is { } t ? TypedResults.Ok(TicketViews.View(t, people, time)) : NotFound(number);

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> ClaimAsync(string number,
        ClaimsPrincipal user, TicketService tickets, TicketWorkflow workflow, TicketPeople people, AuditTrail audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (tickets.Own(user, number) is not { } ticket) return NotFound(number);
        var (current, won) = await workflow.ClaimAsync(number, user.PersonId()!, user.DisplayName(), cancellationToken);
        if (!won)
        {
            var holder = people.Ref(ticket.CommunityId, current.AssigneeId);
            var detail = current.AssigneeId is { } id
                ? $"{holder?.Name ?? id} has this ticket."
                : $"Ticket {number} is {current.Status}.";
            return TypedResults.Problem(statusCode: 409, title: "Already taken", detail: detail,
                extensions: new Dictionary<string, object?> { ["assignee"] = holder, ["version"] = current.Version });
        }
        audit.Record(user, "ticket.claim", number);
        return TypedResults.Ok(TicketViews.View(current, people, time));
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> DispatchAsync(string number,
        DispatchRequest request, ClaimsPrincipal user, TicketService tickets, TicketWorkflow workflow,
        TicketPeople people, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (tickets.Own(user, number) is not { } ticket) return NotFound(number);
        var needsReason = request.Action is "transfer" or "send_back";
        if (needsReason && string.IsNullOrWhiteSpace(request.Reason))
            return Bad("A reason is needed", "Say why the ticket is passed on.");
        if (request.Reason is { Length: > 500 }) return Bad("Reason too long", "A reason is at most 500 characters.");
        // 指派 to someone else of a ticket that someone already has is 转单: the holder or a manager only.
        if (request.Action == "assign" && request.To is not null && !MayReassign(ticket, request.To, user))
            return NotTheHolder();
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
        if (changed is null)
            return Bad("Unknown dispatch",
                "action is assign (with to), round_robin, transfer (with to and reason) or send_back (with reason).");
        var detail = string.Join("; ", new[] { request.To, request.Reason }.Where(x => x is not null));
        audit.Record(user, "ticket." + request.Action, number, detail);
        return TypedResults.Ok(TicketViews.View(changed, people, time));
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> UpdateAsync(string number,
        TicketUpdate update, ClaimsPrincipal user, TicketService tickets, TicketWorkflow workflow,
        TicketPeople people, AuditTrail audit, TimeProvider time, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (tickets.Own(user, number) is not { } ticket) return NotFound(number);
        // A console sends the version it shows (If-Match: "7"); a change made meanwhile wins and this one is refused.
        int? expected = null;
        if (http.Request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch)
        {
            if (!int.TryParse(ifMatch.Trim('"', 'W', '/'), out var v))
                return Bad("Bad If-Match", "If-Match carries the ticket's version, e.g. \"7\".");
            expected = v;
        }
        TicketStatus? status = null;
        if (update.Status is not null)
        {
            if (!Enum.TryParse<TicketStatus>(update.Status, ignoreCase: true, out var parsed)
                || int.TryParse(update.Status, out _))
                return UnknownStatus();
            status = parsed;
        }
        if (update.AssigneeId is { } to && !MayReassign(ticket, to, user)) return NotTheHolder();
        if (status is null && update.AssigneeId is null && string.IsNullOrWhiteSpace(update.Note))
            return Bad("Nothing to change", "Give a status, an assigneeId or a note.");
        if (update.Note is { Length: > 1000 }) return Bad("Note too long", "A note is at most 1,000 characters.");

        var write = await workflow.UpdateAsync(number, status, update.AssigneeId, user.DisplayName(), update.Note,
            cancellationToken, expected);
        if (!write.Saved) return Stale(write.After);
        var assigned = update.AssigneeId is null ? "" : $"; assignee {update.AssigneeId}";
        audit.Record(user, "ticket.update", number, $"{ticket.Status} → {write.After.Status}{assigned}");
        return TypedResults.Ok(TicketViews.View(write.After, people, time));
    }

    /// <summary>
    /// The console's version is behind: the change is refused, with the version the ticket is at now.
    /// </summary>
    private static ProblemHttpResult Stale(Ticket current) => TypedResults.Problem(statusCode: 412,
        title: "The ticket changed meanwhile", detail: $"Ticket {current.Number} is at version {current.Version} now.",
        extensions: new Dictionary<string, object?> { ["version"] = current.Version });

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> LadderAsync(string number,
        LadderRequest request, ClaimsPrincipal user, TicketService tickets, TicketWorkflow workflow,
        TicketPeople people, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (tickets.Own(user, number) is null) return NotFound(number);
        LadderStep? step = request.Step switch
        {
            "acknowledge" => LadderStep.Acknowledge,
            "on_the_way" => LadderStep.OnTheWay,
            "on_site" => LadderStep.OnSite,
            _ => null,
        };
        if (step is null) return Bad("Unknown step", "step must be acknowledge, on_the_way or on_site.");
        var changed = await workflow.LadderAsync(number, step.Value, user.PersonId()!, user.DisplayName(),
            cancellationToken);
        audit.Record(user, "emergency.ladder", number, request.Step);
        return TypedResults.Ok(TicketViews.View(changed, people, time));
    }
}
