using Linli.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Cluster;

/// <summary>A timer's round under its lease, on a clock the test moves: renewed while the round lasts, stopped when
/// another instance took it.</summary>
public sealed class PeriodicWorkTests
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    /// <summary>Leases that answer as told: the next answer each time asked, the last one ever after.</summary>
    private sealed class ToldLeases(params bool[] answers) : IClusterLeases
    {
        private int _asked;

        public int Asked => Volatile.Read(ref _asked);

        public Task<bool> TryHoldAsync(string name, TimeSpan ttl, CancellationToken cancellationToken)
        {
            var asked = Interlocked.Increment(ref _asked);
            return Task.FromResult(answers[Math.Min(asked, answers.Length) - 1]);
        }

        public Task ReleaseAsync(string name) => Task.CompletedTask;
    }

    /// <summary>Work whose rounds last until the test ends them (or they are canceled).</summary>
    private sealed class LongRounds(TimeProvider time, IClusterLeases leases)
        : PeriodicWork(time, NullLogger.Instance, leases)
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);
        public TaskCompletionSource Canceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

        protected override async Task RunOnceAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            try { await Finish.Task.WaitAsync(cancellationToken); }
            catch (OperationCanceledException)
            {
                Canceled.TrySetResult();
                throw;
            }
        }
    }

    /// <summary>Moves the clock a minute at a time until <paramref name="done"/>.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "Not reached on the moving clock");
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(5, Cancel);
        }
    }

    [Fact]
    public async Task ALongRoundKeepsRenewingItsLease()
    {
        var time = new FakeTimeProvider();
        var leases = new ToldLeases(true);
        var work = new LongRounds(time, leases);
        await work.StartAsync(Cancel);

        await AdvanceUntilAsync(time, () => leases.Asked >= 4);   // taken, then renewed three times

        Assert.Equal(1, work.Started);
        Assert.False(work.Canceled.Task.IsCompleted);
        work.Finish.SetResult();
        await work.StopAsync(Cancel);
    }

    [Fact]
    public async Task ARoundWhoseLeaseAnotherInstanceTookIsStoppedAndTheWorkGoesOn()
    {
        var time = new FakeTimeProvider();
        var leases = new ToldLeases(true, false, true);   // taken; lost at the first renewal; taken again
        var work = new LongRounds(time, leases);
        await work.StartAsync(Cancel);

        await AdvanceUntilAsync(time, () => work.Canceled.Task.IsCompleted);
        await AdvanceUntilAsync(time, () => work.Started == 2);   // the next round, not a dead timer

        work.Finish.SetResult();
        await work.StopAsync(Cancel);
    }
}
