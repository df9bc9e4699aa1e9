using System.Runtime.CompilerServices;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.People;
using Microsoft.AspNetCore.SignalR;

namespace Linli.StaffConsole;

/// <summary>
/// One message of a conversation as it is kept: phone numbers masked and one-time codes blanked before storing. The
/// store keeps the order lines arrive in (<see cref="ITranscriptStore"/>).
/// </summary>
public sealed record TranscriptEntry
{
    /// <summary>"{channelId}|{conversationId}".</summary>
    public required string Conversation { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>"user" (the resident), "bot", or "staff" (a person writing through the bot).</summary>
    public required string Role { get; init; }
    public string? Name { get; init; }
    public string Text { get; init; } = "";
    public List<string> Attachments { get; init; } = [];
    public List<string> Buttons { get; init; } = [];
}

public sealed record TranscriptLine(
    DateTimeOffset At, string Role, string? Name, string Text, string[] Attachments, string[] Buttons)
{
    public static TranscriptLine Of(TranscriptEntry e) =>
        new(e.At, e.Role, e.Name, e.Text, [.. e.Attachments], [.. e.Buttons]);
}

/// <summary>
/// The transcript of every conversation, for staff reading a ticket or watching a resident's chat live before taking
/// it over. Each message is stored once (a proactive send and its turn's sender see the same activity) and told to the
/// consoles watching that conversation. (The name is the one its callers know; the storage is
/// <see cref="ITranscriptStore"/>.)
/// </summary>
public sealed class TranscriptStore(ITranscriptStore store, TimeProvider time,
    IHubContext<StaffConsoleHub, IStaffConsoleClient> hub, IConfiguration configuration,
    ILogger<TranscriptStore> logger) : ITranscriptLogger
{
    /// <summary>
    /// "Transcripts:RetentionDays": conversations are kept this long, then deleted (privacy by default).
    /// </summary>
    public int RetentionDays => Math.Max(1, configuration.GetValue("Transcripts:RetentionDays", 180));

    public const int MaxLines = 200;
    private readonly ConditionalWeakTable<Activity, object> _logged = [];

    public static string Key(string channelId, string conversationId) => $"{channelId}|{conversationId}";

    public Task LogActivityAsync(Activity activity, CancellationToken cancellationToken) =>
        LogAsync(activity, activity.From?.Role == "bot" ? "bot" : "user", cancellationToken);

    /// <summary>Keeps a message under the given role ("staff" for a person writing through the bot).</summary>
    public async Task LogAsync(Activity activity, string role, CancellationToken cancellationToken)
    {
        if (!activity.IsType(ActivityTypes.Message) || !_logged.TryAdd(activity, activity)) return;
        var entry = new TranscriptEntry
        {
            Conversation = Key(activity.ChannelId ?? "", activity.Conversation?.Id ?? ""),
            At = time.GetUtcNow(),
            Role = role,
            Name = role == "user" ? null : activity.From?.Name,
            Text = Redaction.Redact(activity.Text ?? ""),
            Attachments = activity.Attachments?.Select(a => a.ContentUrl).OfType<string>().ToList() ?? [],
            Buttons = activity.SuggestedActions?.Actions.Select(a => a.Title).OfType<string>().ToList() ?? [],
        };
        await store.AppendAsync(entry);
        try
        {
            await hub.Clients.Group(StaffConsoleHub.ConversationGroup(entry.Conversation))
                .ConversationActivity(entry.Conversation, TranscriptLine.Of(entry));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not tell watching consoles about a message");
        }
    }

    /// <summary>The last <paramref name="take"/> messages of a conversation, oldest first.</summary>
    public TranscriptLine[] Read(string conversation, int take = MaxLines) =>
        [.. store.Read(conversation, take).Select(TranscriptLine.Of)];

    /// <summary>Deletes messages older than the retention period; returns how many.</summary>
    public int Prune()
    {
        var deleted = store.DeleteBefore(time.GetUtcNow().AddDays(-RetentionDays));
        if (deleted > 0)
            logger.LogInformation("Deleted {Count} transcript messages older than {Days} days", deleted, RetentionDays);
        return deleted;
    }
}
