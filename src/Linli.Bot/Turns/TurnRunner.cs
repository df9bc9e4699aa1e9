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
    ITranscriptLogger? transcripts = null,
    ITurnGate? cluster = null)
{
    /// <summary>Called when the bot throws, to tell the user something went wrong.</summary>
    public Func<TurnContext, Exception, Task>? OnTurnError { get; set; }

    /// <summary>
    /// Turns of one conversation run one at a time (a staff hand-back and the resident's message may come together;
    /// each loads and saves the same state). Conversations share a fixed set of gates by hash, so nothing grows; a turn
    /// begun inside another (a notice raised in a turn) never waits on its own gate.
    /// </summary>
    private static readonly SemaphoreSlim[] Gates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private static readonly AsyncLocal<int[]?> Holding = new();

    public async Task<TurnContext> RunAsync(Activity activity, IActivitySender sender, CancellationToken cancellationToken)
    {
        var key = $"{activity.ChannelId}|{activity.Conversation?.Id}";
        var gate = (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Gates.Length);
        if (Holding.Value?.Contains(gate) == true) return await RunInOrderAsync(activity, sender, cancellationToken);
        await Gates[gate].WaitAsync(cancellationToken);
        try
        {
            Holding.Value = [.. Holding.Value ?? [], gate];
            // Then the conversation's own gate among the instances, when there are several.
            await using var elsewhere = cluster is null ? null : await cluster.EnterAsync(key, cancellationToken);
            return await RunInOrderAsync(activity, sender, cancellationToken);
        }
        finally
        {
            Gates[gate].Release();
        }
    }

    private async Task<TurnContext> RunInOrderAsync(Activity activity, IActivitySender sender, CancellationToken cancellationToken)
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
