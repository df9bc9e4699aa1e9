using System.Diagnostics;

namespace Linli.Bench;

/// <summary>Open-loop load: each message sent when its time comes, whatever the answers before it.</summary>
public static class Pacing
{
    /// <summary>
    /// Waits until <paramref name="clock"/> reads <paramref name="due"/>; at once when it is past. The wait is read
    /// from the clock once: read twice (once to compare, once to wait), a thread descheduled in between could pass
    /// Task.Delay between -1 and -2 ms, which it truncates to -1 ms, Timeout.Infinite: a round that never ended.
    /// </summary>
    public static Task UntilAsync(this Stopwatch clock, TimeSpan due)
    {
        var wait = due - clock.Elapsed;
        return wait > TimeSpan.Zero ? Task.Delay(wait) : Task.CompletedTask;
    }
}
