namespace Linli.Hosting;

/// <summary>
/// Work done on a timer driven by <see cref="TimeProvider"/> (tests move the clock); a failed round is logged and
/// tried again. Of several instances, the one holding the work's lease does each round.
/// </summary>
public abstract class PeriodicWork(TimeProvider time, ILogger logger, IClusterLeases leases) : BackgroundService
{
    protected TimeProvider Clock => time;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Stops, and gives the lease up: another instance takes the next round without waiting.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await leases.ReleaseAsync(GetType().Name);
    }

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
                // Held for three rounds: another instance takes over when this one has missed two.
                if (!await leases.TryHoldAsync(GetType().Name, Interval * 3, stoppingToken)) continue;
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Work} failed; trying again in {Seconds}s", GetType().Name, Interval.TotalSeconds);
            }
        }
    }
}
