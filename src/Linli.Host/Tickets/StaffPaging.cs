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

/// <summary>Checks every few seconds for emergencies nobody has acknowledged and pages the next person on duty.</summary>
public sealed class EmergencyEscalation(TicketService tickets, IOptions<TicketOptions> options, TimeProvider time, ILogger<EmergencyEscalation> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.EscalationCheckSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                tickets.EscalateUnacknowledged();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Checking emergencies for escalation failed; trying again in {Seconds}s", options.Value.EscalationCheckSeconds);
            }
        }
    }
}

/// <summary>
/// Watches service levels: a ticket not answered by its respond-by time, or not resolved by its resolve-by time, is marked
/// breached once and its assignee and the manager are paged; a ticket left with an assignee who has not started it within
/// <see cref="TicketOptions.ReassignAfterMinutes"/> goes to the next person on duty.
/// </summary>
public sealed class SlaMonitor(TicketService tickets, IOptions<TicketOptions> options, TimeProvider time, ILogger<SlaMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SlaCheckSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await tickets.CheckServiceLevelsAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Checking service levels failed; trying again in {Seconds}s", options.Value.SlaCheckSeconds);
            }
        }
    }
}
