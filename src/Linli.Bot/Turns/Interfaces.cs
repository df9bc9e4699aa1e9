using System.Text.Json.Nodes;
using Linli.Bot.Schema;

namespace Linli.Bot.Turns;

/// <summary>How a channel delivers what the bot says during one turn.</summary>
public interface IActivitySender
{
    /// <returns>The id the channel gave the activity, when it gives one.</returns>
    Task<string?> SendAsync(Activity activity, CancellationToken cancellationToken);
}

/// <summary>Per-conversation state, as a JSON object of named, typed slots.</summary>
public interface IConversationStateStore
{
    Task<JsonObject?> LoadAsync(string channelId, string conversationId, CancellationToken cancellationToken);
    Task SaveAsync(string channelId, string conversationId, JsonObject state, CancellationToken cancellationToken);
}

/// <summary>Remembers where each user talks to the bot, so it can speak first later.</summary>
public interface IConversationReferenceStore
{
    Task SaveAsync(ConversationReference reference, CancellationToken cancellationToken);
    Task<ConversationReference?> FindAsync(string channelId, string userId, CancellationToken cancellationToken);

    /// <summary>When the reference was last saved: the user's last message on that channel.</summary>
    Task<DateTimeOffset?> LastSavedAsync(string channelId, string userId, CancellationToken cancellationToken);
}

/// <summary>Sends a message into a conversation outside any turn: a staff answer, a ticket update.</summary>
public interface IProactiveMessenger
{
    Task SendAsync(ConversationReference reference, Activity activity, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps what was said in each conversation, as Bot Builder's transcript logger does: every message in and out,
/// in a turn or sent proactively. Staff read it beside a ticket; a failing logger never fails the turn.
/// </summary>
public interface ITranscriptLogger
{
    Task LogActivityAsync(Activity activity, CancellationToken cancellationToken);

    /// <summary>
    /// A turn's messages, in the order they were said, kept together once the turn ends (a logger that keeps them in
    /// one write makes a turn one write cheaper per reply).
    /// </summary>
    async Task LogActivitiesAsync(IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        foreach (var activity in activities) await LogActivityAsync(activity, cancellationToken);
    }
}

/// <summary>An event for the bot to handle in a user's own conversation, as a turn of its own.</summary>
/// <param name="Value">Serialized as the activity's value.</param>
public sealed record ConversationEvent(string ChannelId, string UserId, string Name, object Value);

/// <summary>
/// Where features post events into users' conversations (a ticket changed, a conversation handed back to the bot).
/// Posting returns at once; the events become turns in the order they were posted, off the caller's request, so a
/// feature never waits on the bot and never depends on it.
/// </summary>
public interface IConversationEvents
{
    ValueTask PostAsync(ConversationEvent conversationEvent, CancellationToken cancellationToken = default);
}

/// <summary>
/// Turns of one conversation one at a time across every instance of the bot (each instance already runs them one at
/// a time itself): a resident's message on one instance and a staff hand-back on another load and save the same state.
/// </summary>
public interface ITurnGate
{
    /// <summary>Waits until no other instance runs a turn of <paramref name="conversationKey"/>: dispose to leave.
    /// </summary>
    ValueTask<IAsyncDisposable> EnterAsync(string conversationKey, CancellationToken cancellationToken);
}
