using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Linli.Hosting;
using Linli.Storage.LiteDb;
using Linli.Tests.Support;

namespace Linli.Tests.Storage;

/// <summary>
/// How long the LiteDB file keeps writes waiting, for an operator's dashboard: every commit and every checkpoint (the
/// log copied into the file and synced to disk, while no write commits) is measured.
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
}
