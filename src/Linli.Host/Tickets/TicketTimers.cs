using Linli.Hosting;
using Microsoft.Extensions.Options;

namespace Linli.Tickets;

/// <summary>
/// Checks every few seconds for emergencies nobody has acknowledged and pages the next person on duty.
/// </summary>
public sealed class EmergencyEscalation(
    ServiceLevels levels, IOptions<TicketOptions> options, TimeProvider time, ILogger<EmergencyEscalation> logger,
    IClusterLeases leases)
    : PeriodicWork(time, logger, leases)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.EscalationCheckSeconds);

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        levels.EscalateUnacknowledged();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Watches service levels: a ticket not answered by its respond-by time, or not resolved by its resolve-by time, is
/// marked breached once and its assignee and the manager are paged; a ticket left with an assignee who has not
/// started it within <see cref="TicketOptions.ReassignAfterMinutes"/> goes to the next person on duty.
/// </summary>
public sealed class SlaMonitor(
    ServiceLevels levels, IOptions<TicketOptions> options, TimeProvider time, ILogger<SlaMonitor> logger,
    IClusterLeases leases)
    : PeriodicWork(time, logger, leases)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SlaCheckSeconds);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) =>
        levels.CheckServiceLevelsAsync(cancellationToken);
}
