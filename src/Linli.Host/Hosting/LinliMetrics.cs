using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Linli.Hosting;

/// <summary>
/// Linli's own measurements (the "Linli" meter), exported when telemetry is configured: messages delivered to the
/// channels, what waits in their outboxes, and how long the LiteDB file keeps writes waiting. Turns are the bot's
/// ("Linli.Bot"); PostgreSQL's are Npgsql's.
/// </summary>
public static class LinliMetrics
{
    public const string MeterName = "Linli";

    private static readonly Meter Meter = new(MeterName);

    private static readonly ConcurrentDictionary<string, int> Waiting = new();

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "linli.deliveries", "{message}", "Messages handed to a channel's service, by outcome");

    // From half a millisecond (a commit on a quiet estate) to seconds (a disk that stalls a sync).
    private static readonly InstrumentAdvice<double> StorageBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    };

    private static readonly Histogram<double> Commits = Meter.CreateHistogram<double>(
        "linli.storage.commit.duration", "s",
        "One LiteDB commit of every write waiting then; each waits for all of it",
        advice: StorageBuckets);

    private static readonly Histogram<double> Checkpoints = Meter.CreateHistogram<double>(
        "linli.storage.checkpoint.duration", "s",
        "LiteDB copying its log into the data file and syncing it to disk; no write is committed meanwhile",
        advice: StorageBuckets);

    static LinliMetrics() =>
        Meter.CreateObservableGauge("linli.outbox.depth",
            () => Waiting.Select(w => new Measurement<int>(w.Value, new KeyValuePair<string, object?>("channel", w.Key))),
            "{message}", "Messages waiting in a channel's outbox when its delivery last looked");

    /// <param name="outcome">sent, retry (a transient failure, tried again later) or dropped.</param>
    public static void Delivered(string channel, string outcome) =>
        Deliveries.Add(1, new("channel", channel), new("outcome", outcome));

    public static void OutboxDepth(string channel, int waiting) => Waiting[channel] = waiting;

    public static void Committed(TimeSpan took) => Commits.Record(took.TotalSeconds);

    /// <param name="failed">Why it failed, if it did: its type is the <c>error.type</c> attribute.</param>
    public static void Checkpointed(TimeSpan took, Exception? failed = null)
    {
        if (failed is null) Checkpoints.Record(took.TotalSeconds);
        else Checkpoints.Record(took.TotalSeconds,
            KeyValuePair.Create("error.type", (object?)failed.GetType().FullName));
    }
}
