using Linli.Hosting;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.Tickets;

/// <summary>What a change came to: the ticket it was made to, the ticket now, and whether anything was saved.</summary>
public sealed record TicketWrite(Ticket Before, Ticket After, bool Saved);

/// <summary>
/// Every change to a stored ticket goes through here: read, change, write over the revision read; when another write
/// (from this process or another sharing the store) landed in between, read again and apply the change again to what
/// is there now. A change is therefore a function of the ticket, with no side effects of its own: it may run more
/// than once, and its callers act (log, page, tell the resident) only on what was saved.
/// </summary>
public sealed class TicketWriter(ITicketStore store, IOptions<TicketOptions> options, TimeProvider time,
    ITicketFeed feed)
{
    /// <summary>
    /// Applies <paramref name="change"/> to the ticket as it is stored now: one version up, its clock stopped or
    /// started again by its status, and the consoles told. <paramref name="change"/> returns null to leave the ticket
    /// as it is (then <see cref="TicketWrite.Saved"/> is false) and may throw to refuse. Null when there is no such
    /// ticket.
    /// </summary>
    public TicketWrite? Change(string number, Func<Ticket, Ticket?> change) => Write(number, change, counts: true);

    /// <summary>
    /// A line of the ticket's conversation: saved, but not a change of the ticket (no version up, nothing published:
    /// the caller tells the consoles). Null when there is no such ticket.
    /// </summary>
    public Ticket? AppendMessage(string number, TicketMessage message) =>
        Write(number, ticket => ticket with { Messages = [.. ticket.Messages, message] }, counts: false)?.After;

    private TicketWrite? Write(string number, Func<Ticket, Ticket?> change, bool counts) =>
        Optimistic.Retry<TicketWrite?>(() =>
        {
            if (store.FindByNumber(number) is not { } current) return null;
            if (change(current) is not { } changed) return new TicketWrite(current, current, Saved: false);
            var now = time.GetUtcNow();
            var stamped = counts
                ? Clock(changed, now) with { Version = current.Version + 1, UpdatedAt = now }
                : changed with { UpdatedAt = now };
            if (store.TryReplace(stamped with { Revision = current.Revision }) is not { } saved) return Optimistic.Lost;
            if (counts) feed.Publish(saved, created: false);
            return new TicketWrite(current, saved, Saved: true);
        }, () => DomainProblem.Conflict("tickets.kept_changing", new { number, attempts = Optimistic.Attempts }));

    /// <summary>
    /// Waiting on the resident stops the clock; when the ticket moves on, the service time that was left when it
    /// stopped is given back from now (in business hours when the target counts them).
    /// </summary>
    private Ticket Clock(Ticket ticket, DateTimeOffset now)
    {
        var waiting = ticket.Status == TicketStatus.WaitingOnResident;
        if (waiting && ticket.PausedAt is null) return ticket with { PausedAt = now };
        if (waiting || ticket.PausedAt is not { } paused) return ticket;
        var hours = options.Value.HoursFor(ticket.Kind, ticket.Urgency);
        var left = ServiceClock.Between(paused, ticket.ResolveBy, hours);
        return ticket with
        {
            PausedAt = null,
            ResolveBy = left > TimeSpan.Zero ? ServiceClock.Add(now, left, hours) : ticket.ResolveBy,
        };
    }
}
