using Linli.People;

namespace Linli.Tickets;

/// <summary>Reaches a member of staff at once about an emergency (SMS or a phone call in production).</summary>
public interface IStaffPager
{
    /// <param name="reason">"emergency", "hazard", "respond_breached", "resolve_breached"…</param>
    void Page(Ticket ticket, Person person, string reason);
}

/// <summary>
/// The demo's pager: the log, with the phone masked as everywhere else. The staff console shows pages live.
/// </summary>
public sealed class LoggingStaffPager(ILogger<LoggingStaffPager> logger) : IStaffPager
{
    public void Page(Ticket ticket, Person person, string reason) =>
        logger.LogWarning("PAGE {Name} ({Title}, {Phone}): {Reason} {Number} at {Location}",
            person.Name, person.Title, PhoneMask.Mask(person.Phone), reason, ticket.Number,
            ticket.Location ?? "(location not yet given)");
}

/// <summary>
/// Tells a member of staff that a ticket is now theirs (assigned by the office, the round robin, a transfer, or routed
/// on opening). Called once the change is saved, on the caller's thread: an implementation queues and returns, and
/// never throws.
/// </summary>
public interface IStaffNotifier
{
    void Assigned(Ticket ticket, Person assignee);
}

/// <summary>Without a channel to staff's phones, the staff console's live queue is the notice.</summary>
public sealed class NoStaffNotifier : IStaffNotifier
{
    public void Assigned(Ticket ticket, Person assignee) { }
}
