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
        LogAsync(activity, RoleOf(activity), cancellationToken);

    /// <summary>A turn's messages, kept as one write.</summary>
    public Task LogActivitiesAsync(IReadOnlyList<Activity> activities, CancellationToken cancellationToken) =>
        KeepAsync([.. activities.Select(a => (a, RoleOf(a)))]);

    /// <summary>Keeps a message under the given role ("staff" for a person writing through the bot).</summary>
    public Task LogAsync(Activity activity, string role, CancellationToken cancellationToken) =>
        KeepAsync([(activity, role)]);

    private static string RoleOf(Activity activity) => activity.From?.Role == "bot" ? "bot" : "user";

    /// <summary>Stores the messages not kept before (one write per conversation), then tells its consoles.</summary>
    private async Task KeepAsync(IReadOnlyList<(Activity Activity, string Role)> said)
    {
        var entries = said
            .Where(s => s.Activity.IsType(ActivityTypes.Message) && _logged.TryAdd(s.Activity, s.Activity))
            .Select(s => Entry(s.Activity, s.Role));
        foreach (var conversation in entries.GroupBy(e => e.Conversation)) await AppendAndTellAsync([.. conversation]);
    }

    private async Task AppendAndTellAsync(List<TranscriptEntry> entries)
    {
        await store.AppendAsync(entries);
        try
        {
            var watching = hub.Clients.Group(StaffConsoleHub.ConversationGroup(entries[0].Conversation));
            foreach (var entry in entries)
                await watching.ConversationActivity(entry.Conversation, TranscriptLine.Of(entry));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not tell watching consoles about a message");
        }
    }

    private TranscriptEntry Entry(Activity activity, string role) => new()
    {
        Conversation = Key(activity.ChannelId ?? "", activity.Conversation?.Id ?? ""),
        At = time.GetUtcNow(),
        Role = role,
        Name = role == "user" ? null : activity.From?.Name,
        Text = Redaction.Redact(activity.Text ?? ""),
        Attachments = activity.Attachments?.Select(a => a.ContentUrl).OfType<string>().ToList() ?? [],
        Buttons = activity.SuggestedActions?.Actions.Select(a => a.Title).OfType<string>().ToList() ?? [],
    };

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
