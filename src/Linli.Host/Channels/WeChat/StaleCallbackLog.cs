using System.Globalization;

namespace Linli.Channels.WeChat;

/// <summary>
/// Warns of signed WeChat and WeCom callbacks refused for their time: a message sent again long after, or this
/// server's clock (or the platform's view of it) off by minutes, which would refuse every message until it is set.
/// One line a minute per channel at most, counting those refused in between: a signed URL replayed in a loop would
/// otherwise fill the log.
/// </summary>
public sealed class StaleCallbackLog(TimeProvider time, ILogger<StaleCallbackLog> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Next, int Quiet)> _channels = [];

    public void Refused(string channel, string? timestamp, int maxSkewSeconds)
    {
        var now = time.GetUtcNow();
        int quiet;
        lock (_gate)
        {
            _channels.TryGetValue(channel, out var last);
            if (now < last.Next)
            {
                _channels[channel] = last with { Quiet = last.Quiet + 1 };
                return;
            }
            quiet = last.Quiet;
            _channels[channel] = (now + Interval, 0);
        }
        if (long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            logger.LogWarning(
                "Refused a signed {Channel} message stamped {Seconds} s behind this server's clock (negative: ahead;"
                + " at most {Max} s either way): a copy sent again, or a clock to set. {Quiet} more refused"
                + " for their time since the last such warning",
                channel, now.ToUnixTimeSeconds() - seconds, maxSkewSeconds, quiet);
        else
            logger.LogWarning(
                "Refused a signed {Channel} message whose timestamp is not a number of seconds: {Timestamp}."
                + " {Quiet} more refused for their time since the last such warning",
                channel, timestamp is { Length: > 20 } ? timestamp[..20] + "…" : timestamp, quiet);
    }
}
