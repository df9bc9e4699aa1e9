using System.Security.Claims;
using Linli.Accounts;
using Linli.People;
using Linli.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Tickets;

public sealed record PersonRef(string Id, string Name, string? Title);

public sealed record ReporterView(string Channel, PersonRef? Person, string? Phone, string? Unit);

public sealed record TicketView(
    string Number, string Kind, string? Category, string CommunityId, string? UnitId, string? Location, string? Text,
    string[] Attachments, string Urgency, TicketStatus Status, PersonRef? Assignee, bool Anonymous,
    DateTimeOffset CreatedAt, DateTimeOffset RespondBy, DateTimeOffset ResolveBy, bool Breached,
    int? Rating, string? RatingComment, EmergencyLadder? Ladder, TicketEvent[] History, ReporterView Reporter, int Version,
    TicketMessage[] Messages, TicketNote[] Notes, DateTimeOffset? PausedAt, DateTimeOffset UpdatedAt);

public sealed record TicketUpdate(string? Status, string? AssigneeId, string? Note);

public sealed record LadderRequest(string? Step);

/// <summary>assign (指派, to), round_robin (轮训), transfer (转单, to + reason), send_back (退单, reason).</summary>
public sealed record DispatchRequest(string? Action, string? To, string? Reason);

public sealed record RosterView(string CommunityId, PersonRef[] OnDuty);

public sealed record RosterUpdate(string[]? PersonIds);

/// <summary>The ticket queue for staff: list, filter, read, move on, the emergency ladder and the duty roster. Staff see their own community only.</summary>
public static class TicketsApi
{
    public static IEndpointRouteBuilder MapTickets(this IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api").WithTags("Tickets").RequireAuthorization(AuthApi.ServicePolicy).RequireRateLimiting(Hosting.RateLimits.Writes);
        staff.MapGet("/communities/{communityId}/tickets", List).WithSummary("The community's tickets, open ones first by urgency and due time");
        staff.MapGet("/tickets/{number}", Get).WithSummary("One ticket with its history");
        staff.MapPatch("/tickets/{number}", UpdateAsync).WithSummary("Change status and/or assignee; the resident is told in their chat");
        staff.MapPost("/tickets/{number}/claim", ClaimAsync).WithSummary("抢单: take an unassigned ticket; of simultaneous claims exactly one wins (409 names the winner)");
        staff.MapPost("/tickets/{number}/dispatch", DispatchAsync).WithSummary("Assign (指派), round robin (轮训), transfer (转单) or send back (退单) with a reason");
        staff.MapPost("/tickets/{number}/ladder", LadderAsync).WithSummary("Emergency 1-3-5 ladder: acknowledge, on_the_way, on_site");
        staff.MapGet("/communities/{communityId}/duty-roster", GetRoster).WithSummary("Who is paged for emergencies, in order");
        staff.MapPut("/communities/{communityId}/duty-roster", PutRoster).WithSummary("Set the duty roster");
        staff.MapGet("/communities/{communityId}/audit", (string communityId, ClaimsPrincipal user, AuditTrail audit, int? take) =>
                user.Serves(communityId) ? Results.Ok(audit.For(communityId, Math.Clamp(take ?? 100, 1, 1000))) : Forbidden(communityId))
            .WithTags("Audit").WithSummary("What staff and moderators did, latest first");
        return routes;
    }

    internal static ProblemHttpResult Forbidden(string communityId) =>
        TypedResults.Problem(statusCode: 403, title: "Not your community", detail: $"You are not staff of community '{communityId}'.");

    private static ProblemHttpResult NotTheHolder() =>
        TypedResults.Problem(statusCode: 403, title: "Not your ticket to pass on", detail: "Only the person who has the ticket, or a manager, can give it to someone else.");

    private static bool IsManager(ClaimsPrincipal user) => user.Is(Role.Manager) || user.Is(Role.Admin);

    /// <summary>
    /// Giving a ticket to <paramref name="to"/>: anyone on staff may when nobody has it (指派) or when taking it themselves
    /// is not the question; once someone has it, only they or a manager may hand it to another (转单).
    /// </summary>
    private static bool MayReassign(Ticket ticket, string to, ClaimsPrincipal user) =>
        ticket.AssigneeId is null || ticket.AssigneeId == to || ticket.AssigneeId == user.PersonId() || IsManager(user);

    internal static ProblemHttpResult NotFound(string number) =>
        TypedResults.Problem(statusCode: 404, title: "Ticket not found", detail: $"No ticket {number} in your community.");

    private static ProblemHttpResult Bad(string title, string detail) => TypedResults.Problem(statusCode: 400, title: title, detail: detail);

    private static Results<Ok<TicketView[]>, ProblemHttpResult> List(string communityId, ClaimsPrincipal user, TicketService tickets, LinliDatabase db, TimeProvider time,
        string? kind, string? status, string? urgency, int? building, string? assignee, bool? open, int? skip, int? take)
    {
        if (!user.Serves(communityId)) return Forbidden(communityId);
        TicketStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<TicketStatus>(status, ignoreCase: true, out var parsed))
                return Bad("Unknown status", $"status must be one of {string.Join(", ", Enum.GetNames<TicketStatus>())}.");
            wanted = parsed;
        }
        var filter = new TicketFilter(kind, wanted, urgency, building, assignee, open ?? false);
        return TypedResults.Ok(tickets.List(communityId, filter, Math.Max(0, skip ?? 0), Math.Clamp(take ?? 50, 1, 500))
            .Select(t => View(t, db, time)).ToArray());
    }

    private static Results<Ok<TicketView>, ProblemHttpResult> Get(string number, ClaimsPrincipal user, TicketService tickets, LinliDatabase db, TimeProvider time) =>
        tickets.Find(number) is { } t && user.Serves(t.CommunityId) ? TypedResults.Ok(View(t, db, time)) : NotFound(number);

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> ClaimAsync(string number, ClaimsPrincipal user,
        TicketService tickets, LinliDatabase db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (tickets.Find(number) is not { } ticket || !user.Serves(ticket.CommunityId)) return NotFound(number);
        var (current, won) = await tickets.ClaimAsync(number, user.PersonId()!, user.DisplayName(), cancellationToken);
        if (!won)
            return TypedResults.Problem(statusCode: 409, title: "Already taken",
                detail: current.AssigneeId is { } holder ? $"{Ref(db, holder)?.Name ?? holder} has this ticket." : $"Ticket {number} is {current.Status}.",
                extensions: new Dictionary<string, object?> { ["assignee"] = Ref(db, current.AssigneeId), ["version"] = current.Version });
        audit.Record(user, "ticket.claim", number);
        return TypedResults.Ok(View(current, db, time));
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> DispatchAsync(string number, DispatchRequest request, ClaimsPrincipal user,
        TicketService tickets, LinliDatabase db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (tickets.Find(number) is not { } ticket || !user.Serves(ticket.CommunityId)) return NotFound(number);
        var needsReason = request.Action is "transfer" or "send_back";
        if (needsReason && string.IsNullOrWhiteSpace(request.Reason)) return Bad("A reason is needed", "Say why the ticket is passed on.");
        if (request.Reason is { Length: > 500 }) return Bad("Reason too long", "A reason is at most 500 characters.");
        var manager = IsManager(user);
        // 指派 to someone else of a ticket that someone already has is 转单: the holder or a manager only.
        if (request.Action == "assign" && request.To is not null && !MayReassign(ticket, request.To, user))
            return NotTheHolder();
        try
        {
            var changed = request.Action switch
            {
                "assign" when request.To is not null => await tickets.UpdateAsync(number, null, request.To, user.DisplayName(), null, cancellationToken),
                "round_robin" => await tickets.AssignRoundRobinAsync(number, user.DisplayName(), cancellationToken),
                "transfer" when request.To is not null => await tickets.HandOnAsync(number, request.To, request.Reason!, user.PersonId()!, manager, user.DisplayName(), cancellationToken),
                "send_back" => await tickets.HandOnAsync(number, null, request.Reason!, user.PersonId()!, manager, user.DisplayName(), cancellationToken),
                _ => null,
            };
            if (changed is null) return Bad("Unknown dispatch", "action is assign (with to), round_robin, transfer (with to and reason) or send_back (with reason).");
            audit.Record(user, "ticket." + request.Action, number, string.Join("; ", new[] { request.To, request.Reason }.Where(x => x is not null)));
            return TypedResults.Ok(View(changed, db, time));
        }
        catch (TicketConflictException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "Cannot pass the ticket on that way", detail: ex.Message);
        }
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> UpdateAsync(string number, TicketUpdate update, ClaimsPrincipal user,
        TicketService tickets, LinliDatabase db, AuditTrail audit, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        if (tickets.Find(number) is not { } ticket || !user.Serves(ticket.CommunityId)) return NotFound(number);
        // A console sends the version it shows (If-Match: "7"); a change made meanwhile wins and this one is refused.
        int? expected = null;
        if (http.Request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch)
        {
            if (!int.TryParse(ifMatch.Trim('"', 'W', '/'), out var v)) return Bad("Bad If-Match", "If-Match carries the ticket's version, e.g. \"7\".");
            expected = v;
        }
        TicketStatus? status = null;
        if (update.Status is not null)
        {
            if (!Enum.TryParse<TicketStatus>(update.Status, ignoreCase: true, out var parsed) || int.TryParse(update.Status, out _))
                return Bad("Unknown status", $"status must be one of {string.Join(", ", Enum.GetNames<TicketStatus>())}.");
            status = parsed;
        }
        if (update.AssigneeId is { } to && !MayReassign(ticket, to, user)) return NotTheHolder();
        if (status is null && update.AssigneeId is null && string.IsNullOrWhiteSpace(update.Note))
            return Bad("Nothing to change", "Give a status, an assigneeId or a note.");
        if (update.Note is { Length: > 1000 }) return Bad("Note too long", "A note is at most 1,000 characters.");
        try
        {
            var changed = await tickets.UpdateAsync(number, status, update.AssigneeId, user.DisplayName(), update.Note, cancellationToken, expected);
            audit.Record(user, "ticket.update", number, $"{ticket.Status} → {changed.Status}" + (update.AssigneeId is null ? "" : $"; assignee {update.AssigneeId}"));
            return TypedResults.Ok(View(changed, db, time));
        }
        catch (TicketConflictException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "Cannot change the ticket that way", detail: ex.Message);
        }
        catch (TicketVersionException ex)
        {
            return TypedResults.Problem(statusCode: 412, title: "The ticket changed meanwhile", detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["version"] = ex.Current.Version });
        }
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> LadderAsync(string number, LadderRequest request, ClaimsPrincipal user,
        TicketService tickets, LinliDatabase db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (tickets.Find(number) is not { } ticket || !user.Serves(ticket.CommunityId)) return NotFound(number);
        LadderStep? step = request.Step switch
        {
            "acknowledge" => LadderStep.Acknowledge, "on_the_way" => LadderStep.OnTheWay, "on_site" => LadderStep.OnSite, _ => null,
        };
        if (step is null) return Bad("Unknown step", "step must be acknowledge, on_the_way or on_site.");
        try
        {
            var changed = await tickets.LadderAsync(number, step.Value, user.PersonId()!, user.DisplayName(), cancellationToken);
            audit.Record(user, "emergency.ladder", number, request.Step);
            return TypedResults.Ok(View(changed, db, time));
        }
        catch (TicketConflictException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "Not an emergency", detail: ex.Message);
        }
    }

    private static IResult GetRoster(string communityId, ClaimsPrincipal user, TicketService tickets, LinliDatabase db) =>
        user.Serves(communityId)
            ? TypedResults.Ok(new RosterView(communityId, tickets.Roster(communityId).Select(id => Ref(db, id)).OfType<PersonRef>().ToArray()))
            : Forbidden(communityId);

    private static IResult PutRoster(string communityId, RosterUpdate update, ClaimsPrincipal user, TicketService tickets, LinliDatabase db, AuditTrail audit)
    {
        if (!user.Serves(communityId)) return Forbidden(communityId);
        var ids = update.PersonIds ?? [];
        if (ids.Length == 0) return Bad("Empty roster", "Name at least one person on duty.");
        var strangers = ids.Where(id => db.People.FindById(id) is not { Title: not null } p || p.CommunityId != communityId).ToList();
        if (strangers.Count > 0) return Bad("Not staff here", $"Not staff of {communityId}: {string.Join(", ", strangers)}.");
        tickets.SetRoster(communityId, ids.Distinct().ToList());
        audit.Record(user, "roster.set", communityId, string.Join(",", ids));
        return GetRoster(communityId, user, tickets, db);
    }

    private static PersonRef? Ref(LinliDatabase db, string? personId) =>
        personId is not null && db.People.FindById(personId) is { } p ? new PersonRef(p.Id, p.Name, p.Title) : null;

    internal static TicketView View(Ticket t, LinliDatabase db, TimeProvider time)
    {
        var reporter = t.Reporter.PersonId is { } pid ? db.People.FindById(pid) : null;
        var open = t.Status is not (TicketStatus.Resolved or TicketStatus.Closed);
        var now = time.GetUtcNow();
        return new TicketView(t.Number, t.Kind, t.Category, t.CommunityId, t.UnitId, t.Location, t.Text, [.. t.Attachments], t.Urgency, t.Status,
            Ref(db, t.AssigneeId), t.Answers.GetValueOrDefault("anonymous") == "yes", t.CreatedAt, t.RespondBy, t.ResolveBy,
            open && t.PausedAt is null && (t.ResolveBy < now || (t.Status is TicketStatus.New or TicketStatus.Reopened && t.RespondBy < now)),
            t.Rating, t.RatingComment, t.Ladder, [.. t.History],
            new ReporterView(t.Reporter.ChannelId, reporter is null ? null : new PersonRef(reporter.Id, reporter.Name, null),
                reporter is null ? null : PhoneMask.Mask(reporter.Phone), t.UnitId is null ? null : db.Units.FindById(t.UnitId)?.Label),
            t.Version, [.. t.Messages], [.. t.Notes], t.PausedAt, t.UpdatedAt);
    }
}
