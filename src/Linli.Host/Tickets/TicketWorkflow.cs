using Linli.Bot.Turns;
using Linli.Hosting;

namespace Linli.Tickets;

/// <summary>
/// What staff do with a ticket: move it through its statuses, give it to someone (指派), take it from the pool
/// (抢单), hand it round the duty roster (轮训), pass it on (转单) or back (退单), climb the emergency's 1-3-5
/// ladder, and note things for colleagues. The resident is told in their own chat when their ticket moves on.
/// </summary>
public sealed class TicketWorkflow(ITicketStore store, TicketWriter writer, DutyRosters rosters, TicketPeople people,
    TimeProvider time, IConversationEvents conversations, ILogger<TicketWorkflow> logger)
{
    /// <summary>
    /// Moves the ticket on (and/or gives it to someone), records who did it, and tells the resident in their own
    /// conversation. With <paramref name="expectedVersion"/> (a console's If-Match), a ticket changed since is left
    /// as it is: the answer is the ticket now, not saved.
    /// </summary>
    public Task<TicketWrite> UpdateAsync(string number, TicketStatus? status, string? assigneeId, string by,
        string? note, CancellationToken cancellationToken, int? expectedVersion = null) =>
        MoveAsync(number, status, assigneeId, by, note, expectedVersion, passingOn: false, cancellationToken);

    public async Task<Ticket> ChangeStatusAsync(string number, TicketStatus status, string by, string? note,
        CancellationToken cancellationToken) =>
        (await UpdateAsync(number, status, null, by, note, cancellationToken)).After;

    /// <summary>指派: gives the ticket to a member of staff of its community.</summary>
    public async Task<Ticket> AssignAsync(string number, string to, string by, CancellationToken cancellationToken) =>
        (await MoveAsync(number, null, to, by, null, null, passingOn: true, cancellationToken)).After;

    /// <summary>
    /// 轮训: gives the ticket to the next person on duty after the one who got the last round-robin ticket.
    /// </summary>
    public async Task<Ticket> AssignRoundRobinAsync(string number, string by, CancellationToken cancellationToken)
    {
        var ticket = store.FindByNumber(number) ?? throw TicketService.NotFound(number);
        var next = rosters.TakeRoundRobinTurn(ticket.CommunityId);
        var write = await MoveAsync(number, TicketStatus.Assigned, next, by, "round robin", null, passingOn: true,
            cancellationToken);
        return write.After;
    }

    /// <summary>A refusal is titled by what was asked: giving the ticket to someone, or changing it.</summary>
    private async Task<TicketWrite> MoveAsync(string number, TicketStatus? status, string? assigneeId, string by,
        string? note, int? expectedVersion, bool passingOn, CancellationToken cancellationToken)
    {
        var write = writer.Change(number, ticket =>
        {
            if (expectedVersion is { } expected && expected != ticket.Version) return null;
            if (assigneeId is not null && !people.IsStaffOf(assigneeId, ticket.CommunityId))
                throw passingOn
                    ? DomainProblem.Conflict("tickets.pass_on.not_staff", new { person = assigneeId })
                    : DomainProblem.Conflict("tickets.change.not_staff", new { person = assigneeId });
            var next = status ?? StatusOnAssigning(ticket, assigneeId);
            if (next != ticket.Status && !TicketTransitions.CanGo(ticket.Status, next))
                throw passingOn
                    ? DomainProblem.Conflict("tickets.pass_on.bad_step", new { ticket.Status, next })
                    : DomainProblem.Conflict("tickets.change.bad_step", new { ticket.Status, next });
            return ticket with
            {
                Status = next,
                AssigneeId = assigneeId ?? ticket.AssigneeId,
                History = [.. ticket.History, new TicketEvent(time.GetUtcNow(), next, by, note)],
            };
        }) ?? throw TicketService.NotFound(number);
        if (!write.Saved) return write;

        var (before, changed) = (write.Before, write.After);
        logger.LogInformation("Ticket {Number}: {From} → {To} by {By}", number, before.Status, changed.Status, by);
        if (assigneeId is not null && assigneeId != before.AssigneeId) rosters.Assigned(changed, assigneeId);
        if (changed.Status != before.Status || !string.IsNullOrWhiteSpace(note))
            await NotifyAsync(changed, note, null, cancellationToken);
        return write;
    }

    /// <summary>Giving a new or reopened ticket to someone assigns it; otherwise its status stays.</summary>
    private static TicketStatus StatusOnAssigning(Ticket ticket, string? assigneeId) =>
        assigneeId is not null && ticket.Status is TicketStatus.New or TicketStatus.Reopened
            ? TicketStatus.Assigned
            : ticket.Status;

    /// <summary>
    /// 抢单: takes an unassigned ticket from the pool. Of several staff claiming at once exactly one wins; the others
    /// get the ticket back with the winner on it.
    /// </summary>
    public async Task<(Ticket Ticket, bool Won)> ClaimAsync(string number, string personId, string by,
        CancellationToken cancellationToken)
    {
        var write = writer.Change(number, ticket =>
            ticket.AssigneeId is not null || ticket.Status is TicketStatus.Resolved or TicketStatus.Closed
                ? null
                : ticket with
                {
                    AssigneeId = personId,
                    Status = TicketStatus.Assigned,
                    History = [.. ticket.History, new(time.GetUtcNow(), TicketStatus.Assigned, by, "claimed")],
                }) ?? throw TicketService.NotFound(number);
        if (!write.Saved) return (write.After, false);
        logger.LogInformation("Ticket {Number} claimed by {By}", number, by);
        await NotifyAsync(write.After, null, null, cancellationToken);
        return (write.After, true);
    }

    /// <summary>
    /// 转单 (to a colleague) or 退单 (back to the pool, <paramref name="to"/> null): always with a reason, by the
    /// assignee or a manager.
    /// </summary>
    public Task<Ticket> HandOnAsync(string number, string? to, string reason, string byPersonId, bool byManager,
        string by, CancellationToken cancellationToken)
    {
        var status = to is null ? TicketStatus.New : TicketStatus.Assigned;
        var note = (to is null ? "退单: " : "转单: ") + reason;
        var write = writer.Change(number, ticket =>
        {
            if (ticket.AssigneeId != byPersonId && !byManager)
                throw DomainProblem.Conflict("tickets.pass_on.not_holder");
            if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
                throw DomainProblem.Conflict("tickets.pass_on.finished", new { ticket.Status });
            if (to is not null && !people.IsStaffOf(to, ticket.CommunityId))
                throw DomainProblem.Conflict("tickets.pass_on.not_staff", new { person = to });
            return ticket with
            {
                AssigneeId = to,
                Status = status,
                History = [.. ticket.History, new TicketEvent(time.GetUtcNow(), status, by, note)],
            };
        }) ?? throw TicketService.NotFound(number);
        logger.LogInformation("Ticket {Number} {Action} by {By}: {Reason}",
            number, to is null ? "sent back" : $"transferred to {to}", by, reason);
        if (to is not null) rosters.Assigned(write.After, to);
        return Task.FromResult(write.After);
    }

    /// <summary>A step of the 1-3-5 ladder: acknowledged, on the way, on site; each time-stamped once.</summary>
    public async Task<Ticket> LadderAsync(string number, LadderStep step, string personId, string by,
        CancellationToken cancellationToken)
    {
        var write = writer.Change(number, ticket =>
        {
            if (ticket.Ladder is not { } ladder)
                throw DomainProblem.Conflict("tickets.not_an_emergency", new { number });
            var now = time.GetUtcNow();
            var status = step == LadderStep.Acknowledge ? TicketStatus.Assigned : TicketStatus.InProgress;
            if (!TicketTransitions.CanGo(ticket.Status, status) && ticket.Status != status) status = ticket.Status;
            return ticket with
            {
                Ladder = Climb(ladder, step, personId, now),
                Status = status,
                AssigneeId = ticket.AssigneeId ?? personId,
                History = [.. ticket.History, new TicketEvent(now, status, by, LadderNote(step))],
            };
        }) ?? throw TicketService.NotFound(number);
        logger.LogInformation("Emergency {Number}: {Step} by {By}", number, step, by);
        await NotifyAsync(write.After, null, LadderNote(step), cancellationToken);
        return write.After;
    }

    /// <summary>Each step implies the ones below it; a step already taken keeps its first time.</summary>
    private static EmergencyLadder Climb(EmergencyLadder ladder, LadderStep step, string personId,
        DateTimeOffset now) => ladder with
        {
            AcknowledgedAt = ladder.AcknowledgedAt ?? now,
            AcknowledgedBy = ladder.AcknowledgedBy ?? personId,
            OnTheWayAt = step >= LadderStep.OnTheWay ? ladder.OnTheWayAt ?? now : ladder.OnTheWayAt,
            OnSiteAt = step >= LadderStep.OnSite ? ladder.OnSiteAt ?? now : ladder.OnSiteAt,
        };

    /// <summary>An internal note for colleagues; the resident never sees it.</summary>
    public Ticket AddNote(string number, string by, string text) => (writer.Change(number, ticket =>
        ticket with { Notes = [.. ticket.Notes, new TicketNote(time.GetUtcNow(), by, text)] })
        ?? throw TicketService.NotFound(number)).After;

    /// <summary>
    /// Tells the resident, inside their own conversation, in a turn of its own once the ticket is saved.
    /// </summary>
    private async Task NotifyAsync(Ticket ticket, string? note, string? ladderStep, CancellationToken cancellationToken)
    {
        var changed = new TicketChanged(ticket.Number, ticket.Status.ToString(), note, ladderStep);
        await conversations.PostAsync(new ConversationEvent(ticket.Reporter.ChannelId, ticket.Reporter.UserId,
            TicketChanged.EventName, changed), cancellationToken);
    }

    private static string LadderNote(LadderStep step) => step switch
    {
        LadderStep.Acknowledge => "ack",
        LadderStep.OnTheWay => "on_the_way",
        _ => "on_site",
    };
}

/// <summary>The event a ticket change sends into the resident's conversation.</summary>
public sealed record TicketChanged(string Number, string Status, string? Note, string? LadderStep)
{
    public const string EventName = "linli.ticket";
}

public enum LadderStep { Acknowledge, OnTheWay, OnSite }
