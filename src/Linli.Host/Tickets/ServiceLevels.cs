using Microsoft.Extensions.Options;

namespace Linli.Tickets;

/// <summary>
/// Service levels and escalation: tickets past their respond-by or resolve-by time are marked and their assignee and
/// the manager paged; tickets an assignee has not started go to the next person on duty; emergencies nobody
/// acknowledges are paged down the roster.
/// </summary>
public sealed class ServiceLevels(ITicketStore store, TicketWriter writer, TicketWorkflow workflow,
    DutyRosters rosters, IOptions<TicketOptions> options, TimeProvider time, ILogger<ServiceLevels> logger)
{
    /// <summary>
    /// Marks breaches (paging the assignee and the manager) and passes on tickets an assignee has not started.
    /// </summary>
    public async Task CheckServiceLevelsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Waiting on the resident: the clock stands still (the store leaves those out).
        foreach (var overdue in store.Overdue(now)) MarkBreach(overdue.Number, now);

        var reassignAfter = TimeSpan.FromMinutes(options.Value.ReassignAfterMinutes);
        if (reassignAfter <= TimeSpan.Zero) return;
        // Assigned and untouched since: not responding.
        foreach (var ticket in store.NotStartedSince(now - reassignAfter))
        {
            // Only among the people on duty: a hazard stays with the safety officer, a mediation with the mediator
            // (their breaches page them and the manager instead).
            var onDuty = rosters.Roster(ticket.CommunityId);
            if (!onDuty.Contains(ticket.AssigneeId!)) continue;
            var roster = onDuty.Where(p => p != ticket.AssigneeId).ToList();
            if (roster.Count == 0) continue;
            var next = roster[0];
            logger.LogWarning("Ticket {Number}: {Assignee} did not start it within {Minutes} min; passing it to {Next}",
                ticket.Number, ticket.AssigneeId, reassignAfter.TotalMinutes, next);
            await workflow.UpdateAsync(ticket.Number, TicketStatus.Assigned, next, TicketService.SystemActor,
                "reassigned: no response", cancellationToken);
        }
    }

    /// <summary>Marks each target the ticket is past, once, and pages its assignee and the manager.</summary>
    private void MarkBreach(string number, DateTimeOffset now)
    {
        var resolveLate = false;
        var write = writer.Change(number, ticket =>
        {
            var running = ticket.Status is not (TicketStatus.Resolved or TicketStatus.Closed
                or TicketStatus.WaitingOnResident);
            var respondLate = running && ticket.RespondBreachedAt is null
                && ticket.Status is TicketStatus.New or TicketStatus.Reopened && ticket.RespondBy < now;
            resolveLate = running && ticket.ResolveBreachedAt is null && ticket.ResolveBy < now;
            if (!respondLate && !resolveLate) return null;
            return ticket with
            {
                RespondBreachedAt = respondLate ? now : ticket.RespondBreachedAt,
                ResolveBreachedAt = resolveLate ? now : ticket.ResolveBreachedAt,
            };
        });
        if (write is not { Saved: true, After: var marked }) return;
        logger.LogWarning("Ticket {Number} breached its {Target} time", number, resolveLate ? "resolve" : "respond");
        var reason = resolveLate ? "resolve_breached" : "respond_breached";
        var told = new[] { marked.AssigneeId, rosters.Manager(marked.CommunityId) }.OfType<string>().Distinct();
        foreach (var person in told) rosters.Page(marked, person, reason);
    }

    /// <summary>
    /// Pages the next person on the roster for every emergency whose last page went unacknowledged for a minute.
    /// </summary>
    public int EscalateUnacknowledged()
    {
        var now = time.GetUtcNow();
        var after = TimeSpan.FromSeconds(options.Value.EscalateAfterSeconds);
        var escalated = 0;
        foreach (var emergency in store.UnacknowledgedEmergencies())
        {
            string? next = null;
            var write = writer.Change(emergency.Number, ticket =>
            {
                next = null;
                if (ticket is not { Status: TicketStatus.New, Ladder: { AcknowledgedAt: null } ladder }) return null;
                var last = ladder.Pages.LastOrDefault();
                if (last is not null && now - last.At < after) return null;
                var roster = rosters.Roster(ticket.CommunityId);
                if (roster.Count == 0) return null;
                // The next one down; after the last, start again at the top.
                next = roster[(last is null ? 0 : roster.IndexOf(last.PersonId) + 1) % roster.Count];
                return ticket with { Ladder = ladder with { Pages = [.. ladder.Pages, new EmergencyPage(next, now)] } };
            });
            if (write is not { Saved: true } || next is null) continue;
            logger.LogWarning("Emergency {Number} not acknowledged within {Seconds}s: escalating to {Person}",
                emergency.Number, after.TotalSeconds, next);
            rosters.Page(write.Before, next);
            escalated++;
        }
        return escalated;
    }
}
