using Linli.Bot.Schema;
using Linli.Bot.Turns;

namespace Linli.Channels;

/// <summary>
/// Bot Framework's ContinueConversation: runs a turn in a stored conversation, started by Linli rather than by the
/// user (a ticket moved on, a notice was published). The bot reads an <c>event</c> activity, with the conversation's
/// state loaded as in any turn, and whatever it says goes out proactively on that conversation's own channel.
/// </summary>
public sealed class ConversationContinuer(IServiceProvider services, IConversationReferenceStore references, IProactiveMessenger messenger,
    ILogger<ConversationContinuer> logger)
{
    /// <returns>False when Linli has never spoken with this user on this channel.</returns>
    public async Task<bool> ContinueAsync(string channelId, string userId, string eventName, object value, CancellationToken cancellationToken)
    {
        var reference = await references.FindAsync(channelId, userId, cancellationToken);
        if (reference is null) return false;
        var activity = new Activity
        {
            Type = ActivityTypes.Event,
            Name = eventName,
            Value = System.Text.Json.JsonSerializer.SerializeToElement(value, ActivityJson.Options),
            Id = $"linli-{Guid.NewGuid():N}",
            ChannelId = reference.ChannelId,
            ServiceUrl = reference.ServiceUrl,
            Conversation = reference.Conversation,
            From = reference.User,
            Recipient = reference.Bot,
            Locale = reference.Locale,
            Timestamp = DateTimeOffset.UtcNow,
        };
        // Resolved here, not injected: the bot depends (through tickets) on this class.
        var runner = services.GetRequiredService<TurnRunner>();
        await runner.RunAsync(activity, new ProactiveSender(messenger, reference), cancellationToken);
        logger.LogDebug("Continued {Channel} conversation {Conversation} with {Event}", channelId, reference.Conversation?.Id, eventName);
        return true;
    }

    private sealed class ProactiveSender(IProactiveMessenger messenger, ConversationReference reference) : IActivitySender
    {
        public async Task<string?> SendAsync(Activity activity, CancellationToken cancellationToken)
        {
            await messenger.SendAsync(reference, activity, cancellationToken);
            return null;
        }
    }
}
