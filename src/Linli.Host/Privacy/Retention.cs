using Linli.StaffConsole;

namespace Linli.Privacy;

/// <summary>
/// Once an hour, forgets what is older than "Transcripts:RetentionDays" (180 by default): transcripts, Direct Line
/// conversations with their activities (raw text, codes and phones included), and chat photos not on an open ticket.
/// </summary>
public sealed class Retention(TranscriptStore transcripts, Channels.DirectLine.IDirectLineStore directLine,
    PrivacyService privacy, TimeProvider clock, ILogger<Retention> logger, Hosting.IClusterLeases leases)
    : Hosting.PeriodicWork(clock, logger, leases)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        RunNow();
        return Task.CompletedTask;
    }

    /// <returns>Transcript lines, conversations and photos deleted.</returns>
    public (int Lines, int Conversations, int Photos) RunNow()
    {
        var cutoff = Clock.GetUtcNow().AddDays(-transcripts.RetentionDays);
        var result = (transcripts.Prune(), directLine.DeleteStartedBefore(cutoff), privacy.DeleteOldChatPhotos(cutoff));
        if (result.Item2 + result.Item3 > 0)
            logger.LogInformation(
                "Retention: deleted {Conversations} chat conversations and {Photos} photos older than {Days} days",
                result.Item2, result.Item3, transcripts.RetentionDays);
        return result;
    }
}
