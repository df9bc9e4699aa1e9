using System.Text.Json.Nodes;
using Linli.Bot.Schema;
using Microsoft.Extensions.Logging;

namespace Linli.Bot.Turns;

/// <summary>
/// The one door from every channel into the bot: loads the conversation's state, remembers where the
/// user is, runs the bot, saves the state. A failing bot never takes the channel down with it.
/// </summary>
public sealed class TurnRunner(
    IBot bot,
    IConversationStateStore states,
    IConversationReferenceStore references,
    ILogger<TurnRunner> logger,
    ITranscriptLogger? transcripts = null)
{
    /// <summary>Called when the bot throws, to tell the user something went wrong.</summary>
    public Func<TurnContext, Exception, Task>? OnTurnError { get; set; }

    public async Task<TurnContext> RunAsync(Activity activity, IActivitySender sender, CancellationToken cancellationToken)
    {
        var channelId = activity.ChannelId ?? "";
        var conversationId = activity.Conversation?.Id ?? "";
        var state = await states.LoadAsync(channelId, conversationId, cancellationToken) ?? new JsonObject();
        if (transcripts is not null)
        {
            await LogAsync(activity, cancellationToken);
            sender = new LoggingSender(sender, this);
        }
        var turn = new TurnContext(activity, sender, state);

        if (activity.From?.Id is { Length: > 0 } && activity.From.Role != "bot" && !activity.IsType(ActivityTypes.ConversationUpdate))
            await references.SaveAsync(activity.GetConversationReference(), cancellationToken);

        try
        {
            await bot.OnTurnAsync(turn, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The bot failed on {Type} activity {Id} in {Channel} conversation {Conversation}",
                activity.Type, activity.Id, channelId, conversationId);
            if (OnTurnError is not null) await OnTurnError(turn, ex);
            return turn;
        }

        if (turn.StateChanged)
            await states.SaveAsync(channelId, conversationId, turn.State, cancellationToken);
        return turn;
    }

    private async Task LogAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!activity.IsType(ActivityTypes.Message)) return;
        try { await transcripts!.LogActivityAsync(activity, cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not keep activity {Id} in the transcript", activity.Id);
        }
    }

    /// <summary>Sends as the channel does, then keeps what was sent in the transcript.</summary>
    private sealed class LoggingSender(IActivitySender inner, TurnRunner runner) : IActivitySender
    {
        public async Task<string?> SendAsync(Activity activity, CancellationToken cancellationToken)
        {
            var id = await inner.SendAsync(activity, cancellationToken);
            activity.Id ??= id;
            await runner.LogAsync(activity, cancellationToken);
            return id;
        }
    }
}
