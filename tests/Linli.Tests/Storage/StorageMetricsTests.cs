using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Linli.Hosting;
using Linli.Storage.LiteDb;
using Linli.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Linli.Tests.Storage;

/// <summary>
/// How long the LiteDB file keeps writes waiting, for an operator's dashboard: every commit and every checkpoint (the
/// log copied into the file and synced to disk, while no write commits) is measured, and a checkpoint that fails is
/// said in the log and counted.
/// </summary>
[Collection(nameof(Alone))]
public sealed class StorageMetricsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EveryCommitAndCheckpointIsMeasured()
    {
        var measured = new ConcurrentQueue<(string Name, double Seconds)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LinliMetrics.MeterName && instrument.Name.StartsWith("linli.storage."))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
            measured.Enqueue((instrument.Name, seconds)));
        listener.Start();

        using var db = LinliDatabase.Open(_dir.File("linli.db"));
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        // One write at a time: each its own commit; after the last, nothing waits, so the writer checkpoints.
        for (var i = 1; i <= GroupCommit.CheckpointAfter; i++)
            await db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity($"m{i}", at)));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!measured.Any(m => m.Name == "linli.storage.checkpoint.duration") && waited.Elapsed.TotalSeconds < 10)
            await Task.Delay(20, TestContext.Current.CancellationToken);

        Assert.Equal(GroupCommit.CheckpointAfter, measured.Count(m => m.Name == "linli.storage.commit.duration"));
        Assert.Single(measured, m => m.Name == "linli.storage.checkpoint.duration");
        Assert.All(measured, m => Assert.InRange(m.Seconds, 1e-7, 10));
    }

    [Fact]
    public async Task ACheckpointThatFailsIsSaidOnceAndCountedEachTimeAndNothingIsLost()
    {
        var failures = new ConcurrentQueue<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Meter.Name: LinliMetrics.MeterName, Name: "linli.storage.checkpoint.duration" })
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var error = tags.ToArray().FirstOrDefault(t => t.Key == "error.type").Value as string;
            failures.Enqueue(error);
        });
        listener.Start();

        var lines = new LogLines();
        using var db = LinliDatabase.Open(_dir.File("linli.db"));
        // The first two checkpoints fail as a full disk would fail them; the third is LiteDB's own.
        var attempts = new SemaphoreSlim(0);
        var tried = 0;
        await using var together = new GroupCommit(db, log: new LoggerFactory([lines]).CreateLogger("storage"),
            checkpoint: () =>
            {
                try
                {
                    if (++tried <= 2) throw new IOException("No space left on device");
                    db.Checkpoint();
                }
                finally { attempts.Release(); }
            });
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        for (var checkpoint = 0; checkpoint < 3; checkpoint++)
        {
            for (var i = 0; i < GroupCommit.CheckpointAfter; i++)
            {
                var id = $"m{checkpoint}-{i}";
                await together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity(id, at)));
            }
            Assert.True(await attempts.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        }

        Assert.Equal(3 * GroupCommit.CheckpointAfter, db.ProcessedActivities.Count());
        Assert.Equal([typeof(IOException).FullName, typeof(IOException).FullName, null], failures);
        var said = lines.All.Select(l => (l.Level, l.Message)).ToList();
        Assert.Equal(2, said.Count);
        Assert.Equal(LogLevel.Warning, said[0].Level);
        Assert.Contains("checkpoint of the LiteDB file", said[0].Message);
        Assert.Contains(_dir.File("linli.db"), said[0].Message);
        Assert.Equal(LogLevel.Information, said[1].Level);
        Assert.Contains("work again", said[1].Message);
    }

    [Fact]
    public async Task AMetricListenerThatThrowsStopsNoWrite()
    {
        var heard = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Meter.Name: LinliMetrics.MeterName, Name: "linli.storage.commit.duration" })
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) =>
        {
            Interlocked.Increment(ref heard);
            throw new InvalidOperationException("a listener's own bug");
        });
        listener.Start();

        var lines = new LogLines();
        using var db = LinliDatabase.Open(_dir.File("linli.db"));
        await using var together = new GroupCommit(db, log: new LoggerFactory([lines]).CreateLogger("storage"));
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            var id = $"m{i}";
            var written = together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity(id, at)));
            await written.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }

        Assert.Equal(3, db.ProcessedActivities.Count());
        // Each commit is measured just after its writes are told they are done.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref heard) < 3 && waited.Elapsed.TotalSeconds < 10)
            await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.Equal(3, Volatile.Read(ref heard));
        var said = Assert.Single(lines.All);
        Assert.Equal(LogLevel.Error, said.Level);
        Assert.Contains("writes to", said.Message);
    }
}
