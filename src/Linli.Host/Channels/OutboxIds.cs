namespace Linli.Channels;

/// <summary>
/// Ids of what waits in an outbox: sortable in the order queued ("{ticks}-{count}"), and unique across instances (the
/// process's own tag last), so two instances queueing in the same tick never collide.
/// </summary>
public static class OutboxIds
{
    private static readonly string Process = Guid.NewGuid().ToString("N")[..8];
    private static long _count;

    public static string Next(DateTimeOffset now) =>
        $"{now.UtcTicks:D19}-{Interlocked.Increment(ref _count):D9}-{Process}";
}
