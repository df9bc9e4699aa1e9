using Linli.Bot.Schema;
using Linli.Bot.Turns;

namespace Linli.Channels.DirectLine;

/// <summary>
/// The Direct Line channel: turns what clients post into bot turns, and what the bot says into backlog
/// entries that polling clients read and WebSocket streams receive at once.
/// </summary>
public sealed class DirectLineChannel(IDirectLineStore store, DirectLineStreams streams, DirectLineOutbound outbound,
    TurnRunner runner)
{
    public const string Id = DirectLineOutbound.ChannelId;

    public ChannelAccount Bot => outbound.Bot;

    /// <summary>Starts the conversation once: the bot hears who joined (and may welcome them).</summary>
    public async Task StartAsync(DirectLineConversation conversation, string serviceUrl, CancellationToken cancellationToken)
    {
        if (!store.MarkStarted(conversation.Id)) return;
        var members = new List<ChannelAccount> { Bot };
        if (conversation.UserId is { } userId) members.Add(new ChannelAccount(userId, role: "user"));
        await RunUpdateAsync(conversation.Id, members, serviceUrl, conversation.Locale, cancellationToken);
    }

    /// <summary>Echoes the user's activity into the backlog with its new id, then runs the bot on it.</summary>
    public async Task<string> PostFromUserAsync(string conversationId, Activity activity, string serviceUrl, CancellationToken cancellationToken)
    {
        activity.ChannelId = Id;
        activity.ServiceUrl = serviceUrl;
        activity.Conversation = new ConversationAccount(conversationId);
        activity.Recipient = Bot;
        activity.From!.Role = "user";

        // Someone the conversation has not met yet joins before their first word is heard.
        if (store.SetUserIfUnknown(conversationId, activity.From.Id!))
            await RunUpdateAsync(conversationId, [new ChannelAccount(activity.From.Id!, activity.From.Name, "user")], serviceUrl, activity.Locale, cancellationToken);

        var (record, isNew) = store.AppendOnce(conversationId, activity);
        // A retried send (same clientActivityID) gets the first one's id back and is not heard twice.
        if (!isNew) return record.Id;
        streams.Publish(record);
        await runner.RunAsync(activity, new Sender(this, conversationId), cancellationToken);
        return activity.Id!;
    }

    /// <summary>Adds a bot activity to the conversation (a reply during a turn).</summary>
    public string SendFromBot(string conversationId, Activity activity) => outbound.SendFromBot(conversationId, activity);

    private Task RunUpdateAsync(string conversationId, List<ChannelAccount> membersAdded, string serviceUrl, string? locale, CancellationToken cancellationToken)
    {
        var update = new Activity
        {
            Type = ActivityTypes.ConversationUpdate,
            Id = Guid.NewGuid().ToString("n"),
            ChannelId = Id,
            ServiceUrl = serviceUrl,
            Conversation = new ConversationAccount(conversationId),
            From = membersAdded.LastOrDefault(m => m.Role == "user") ?? Bot,
            Recipient = Bot,
            MembersAdded = membersAdded,
            Locale = locale ?? "zh-CN",
        };
        return runner.RunAsync(update, new Sender(this, conversationId), cancellationToken);
    }

    private sealed class Sender(DirectLineChannel channel, string conversationId) : IActivitySender
    {
        public Task<string?> SendAsync(Activity activity, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(channel.SendFromBot(conversationId, activity));
    }
}
