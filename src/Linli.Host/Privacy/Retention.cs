using Linli.StaffConsole;

namespace Linli.Privacy;

/// <summary>
/// Once an hour, forgets what is older than "Transcripts:RetentionDays" (180 by default): transcripts, Direct Line
/// conversations with their activities (raw text, codes and phones included), and chat photos not on an open ticket.
/// The keys of channel messages already taken (WeChat and WeCom message ids) go after two days.
/// </summary>
public sealed class Retention(TranscriptStore transcripts, Channels.DirectLine.IDirectLineStore directLine,
    PrivacyService privacy, Channels.IProcessedActivities processed, TimeProvider clock, ILogger<Retention> logger,
    Hosting.IClusterLeases leases)
    : Hosting.PeriodicWork(clock, logger, leases)
{
    /// <summary>
    /// How long a taken message's key is kept: far past a channel's retries (seconds) and the callback timestamps it
    /// accepts (minutes).
    /// </summary>
    public static readonly TimeSpan MessageKeysKept = TimeSpan.FromDays(2);

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        RunNow();
        return Task.CompletedTask;
    }

    /// <returns>Transcript lines, conversations, photos and message keys deleted.</returns>
    public (int Lines, int Conversations, int Photos, int MessageKeys) RunNow()
    {
        var now = Clock.GetUtcNow();
        var cutoff = now.AddDays(-transcripts.RetentionDays);
        var result = (transcripts.Prune(), directLine.DeleteStartedBefore(cutoff), privacy.DeleteOldChatPhotos(cutoff),
            processed.ForgetBefore(now - MessageKeysKept));
        if (result.Item2 + result.Item3 > 0)
            logger.LogInformation(
                "Retention: deleted {Conversations} chat conversations and {Photos} photos older than {Days} days",
                result.Item2, result.Item3, transcripts.RetentionDays);
        if (result.Item4 > 0)
            logger.LogInformation("Retention: forgot {Keys} keys of channel messages taken over {Days} days ago",
                result.Item4, MessageKeysKept.TotalDays);
        return result;
    }
}
