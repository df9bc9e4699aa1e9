using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Linli.Hosting;

/// <summary>
/// Linli's own measurements (the "Linli" meter), exported when telemetry is configured: messages delivered to the
/// channels and what waits in their outboxes. Turns are the bot's ("Linli.Bot"); PostgreSQL's are Npgsql's.
/// </summary>
public static class LinliMetrics
{
    public const string MeterName = "Linli";

    private static readonly Meter Meter = new(MeterName);

    private static readonly ConcurrentDictionary<string, int> Waiting = new();

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "linli.deliveries", "{message}", "Messages handed to a channel's service, by outcome");

    static LinliMetrics() =>
        Meter.CreateObservableGauge("linli.outbox.depth",
            () => Waiting.Select(w => new Measurement<int>(w.Value, new KeyValuePair<string, object?>("channel", w.Key))),
            "{message}", "Messages waiting in a channel's outbox when its delivery last looked");

    /// <param name="outcome">sent, retry (a transient failure, tried again later) or dropped.</param>
    public static void Delivered(string channel, string outcome) =>
        Deliveries.Add(1, new("channel", channel), new("outcome", outcome));

    public static void OutboxDepth(string channel, int waiting) => Waiting[channel] = waiting;
}
