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
        await leases.ReleaseAsync(Name);
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
                if (!await leases.TryHoldAsync(Name, Interval * 3, stoppingToken)) continue;
                await RunHeldAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("{Work} lost its lease mid-round: another instance goes on from here", Name);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Work} failed; trying again in {Seconds}s", Name, Interval.TotalSeconds);
            }
        }
    }

    private string Name => GetType().Name;

    /// <summary>
    /// One round, its lease renewed each interval while it lasts; a round whose lease another instance took (this one
    /// was paused past it) is canceled, not run twice at once.
    /// </summary>
    private async Task RunHeldAsync(CancellationToken stoppingToken)
    {
        using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewing = RenewAsync(round);
        try { await RunOnceAsync(round.Token); }
        finally
        {
            await round.CancelAsync();
            await renewing;
        }
    }

    private async Task RenewAsync(CancellationTokenSource round)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, time, round.Token);
                if (!await leases.TryHoldAsync(Name, Interval * 3, round.Token)) break;
            }
            await round.CancelAsync();
        }
        catch (OperationCanceledException)
        {
            // The round ended.
        }
        catch (Exception ex)
        {
            // Redis away: the round finishes; the lease lapses by itself if this instance cannot renew it.
            logger.LogWarning(ex, "{Work} could not renew its lease", Name);
        }
    }
}
