using System.Text.Json;
using System.Threading.Channels;
using Linli.Bot.Schema;
using Linli.Bot.Turns;

namespace Linli.Channels;

/// <summary>
/// Bot Framework's ContinueConversation: runs a turn in a stored conversation, started by Linli rather than by the
/// user (a ticket moved on, a conversation handed back). Features post a <see cref="ConversationEvent"/>; one reader
/// takes them in order, and for each the bot reads an <c>event</c> activity, with the conversation's state loaded as
/// in any turn, and whatever it says goes out proactively on that conversation's own channel.
/// </summary>
public sealed class ConversationContinuer(ConversationEventQueue events, TurnRunner runner,
    IConversationReferenceStore references, IProactiveMessenger messenger, TimeProvider time,
    ILogger<ConversationContinuer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var posted in events.Reader.ReadAllAsync(stoppingToken))
                await DeliverAsync(posted, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>False when Linli has never spoken with this user on this channel.</returns>
    public async Task<bool> ContinueAsync(ConversationEvent posted, CancellationToken cancellationToken)
    {
        var reference = await references.FindAsync(posted.ChannelId, posted.UserId, cancellationToken);
        if (reference is null) return false;
        var activity = new Activity
        {
            Type = ActivityTypes.Event,
            Name = posted.Name,
            Value = JsonSerializer.SerializeToElement(posted.Value, ActivityJson.Options),
            Id = $"linli-{Guid.NewGuid():N}",
            ChannelId = reference.ChannelId,
            ServiceUrl = reference.ServiceUrl,
            Conversation = reference.Conversation,
            From = reference.User,
            Recipient = reference.Bot,
            Locale = reference.Locale,
            Timestamp = time.GetUtcNow(),
        };
        await runner.RunAsync(activity, new ProactiveSender(messenger, reference), cancellationToken);
        logger.LogDebug("Continued {Channel} conversation {Conversation} with {Event}", posted.ChannelId,
            reference.Conversation?.Id, posted.Name);
        return true;
    }

    /// <summary>One event's turn; a failure is logged and the next event still runs.</summary>
    private async Task DeliverAsync(ConversationEvent posted, CancellationToken cancellationToken)
    {
        try
        {
            await ContinueAsync(posted, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not run the {Event} turn in a {Channel} conversation", posted.Name,
                posted.ChannelId);
        }
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

/// <summary>
/// The events posted for conversations, waiting for <see cref="ConversationContinuer"/>. A queue of its own, so that
/// features can post without depending on the bot that will handle the events.
/// </summary>
public sealed class ConversationEventQueue : IConversationEvents
{
    private readonly Channel<ConversationEvent> _events =
        Channel.CreateUnbounded<ConversationEvent>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<ConversationEvent> Reader => _events.Reader;

    public ValueTask PostAsync(ConversationEvent conversationEvent, CancellationToken cancellationToken = default) =>
        _events.Writer.WriteAsync(conversationEvent, cancellationToken);
}
