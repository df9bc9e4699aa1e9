using Linli.People;
using Microsoft.Extensions.Options;

namespace Linli.Tickets;

/// <summary>Reaches a member of staff at once about an emergency (SMS or a phone call in production).</summary>
public interface IStaffPager
{
    /// <param name="reason">"emergency", "hazard", "respond_breached", "resolve_breached"…</param>
    void Page(Ticket ticket, Person person, string reason);
}

/// <summary>The demo's pager: the log, with the phone masked as everywhere else. The staff console shows pages live.</summary>
public sealed class LoggingStaffPager(ILogger<LoggingStaffPager> logger) : IStaffPager
{
    public void Page(Ticket ticket, Person person, string reason) =>
        logger.LogWarning("PAGE {Name} ({Title}, {Phone}): {Reason} {Number} at {Location}",
            person.Name, person.Title, PhoneMask.Mask(person.Phone), reason, ticket.Number, ticket.Location ?? "(location not yet given)");
}

/// <summary>
/// Tells a member of staff that a ticket is now theirs (assigned by the office, the round robin, a transfer, or routed
/// on opening). Called under the tickets' lock: an implementation queues and returns, and never throws.
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

/// <summary>Work done on a timer driven by <see cref="TimeProvider"/> (tests move the clock); a failed round is logged and tried again.</summary>
public abstract class PeriodicWork(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => time;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var last = DateTimeOffset.MinValue;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Ticks that bunch up at one instant (a test clock moved on by days fires every missed tick at once) run
            // the work once, not once per missed tick: the work reads the clock, so one run catches up.
            var now = time.GetUtcNow();
            if (now <= last) continue;
            last = now;
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Work} failed; trying again in {Seconds}s", GetType().Name, Interval.TotalSeconds);
            }
        }
    }
}

/// <summary>Checks every few seconds for emergencies nobody has acknowledged and pages the next person on duty.</summary>
public sealed class EmergencyEscalation(TicketService tickets, IOptions<TicketOptions> options, TimeProvider time, ILogger<EmergencyEscalation> logger)
    : PeriodicWork(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.EscalationCheckSeconds);

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        tickets.EscalateUnacknowledged();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Watches service levels: a ticket not answered by its respond-by time, or not resolved by its resolve-by time, is marked
/// breached once and its assignee and the manager are paged; a ticket left with an assignee who has not started it within
/// <see cref="TicketOptions.ReassignAfterMinutes"/> goes to the next person on duty.
/// </summary>
public sealed class SlaMonitor(TicketService tickets, IOptions<TicketOptions> options, TimeProvider time, ILogger<SlaMonitor> logger)
    : PeriodicWork(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SlaCheckSeconds);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => tickets.CheckServiceLevelsAsync(cancellationToken);
}
