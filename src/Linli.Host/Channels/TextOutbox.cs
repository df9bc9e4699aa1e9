using Linli.Hosting;
using Linli.Channels.WeChat;

namespace Linli.Channels;

/// <summary>
/// A text on its way to someone on a channel that takes text by API (WeChat, WeCom), kept until it is taken.
/// </summary>
public sealed record OutboxText
{
    /// <summary>Sortable: each recipient's texts leave in the order they were queued.</summary>
    public required string Id { get; init; }
    /// <summary>"wechat" or "wecom": which delivery sends it.</summary>
    public required string Channel { get; init; }
    /// <summary>The recipient on that channel: an openid, a WeCom userid.</summary>
    public required string To { get; init; }
    public required string Text { get; init; }
    public required DateTimeOffset QueuedAt { get; init; }
    public int Attempts { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
}

/// <summary>
/// Texts for WeChat users and WeCom members, written to LiteDB first and sent by each channel's
/// <see cref="TextDelivery"/>: whoever queues one (a turn, a page under the tickets' lock) pays one insert, never a
/// call out, and an outage or a restart delays a text but loses none.
/// </summary>
public sealed class TextOutbox(ITextOutboxStore store, TimeProvider time)
{
    private readonly Dictionary<string, SemaphoreSlim> _pending = [];

    /// <summary>
    /// Queues <paramref name="text"/>, in pieces of what the channel takes (2,048 bytes) when longer.
    /// </summary>
    public void Enqueue(string channel, string to, string text)
    {
        var now = time.GetUtcNow();
        store.Add(WeChatText.Split(text).Select(piece => new OutboxText
        {
            Id = OutboxIds.Next(now),
            Channel = channel, To = to, Text = piece, QueuedAt = now, NextAttemptAt = now,
        }).ToList());
        Signal(channel).Release();
    }

    /// <summary>Waits until something is queued for <paramref name="channel"/> or the timeout passes.</summary>
    internal async Task WaitAsync(string channel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try { await Signal(channel).WaitAsync(timeout, cancellationToken); }
        catch (OperationCanceledException) { }
    }

    private SemaphoreSlim Signal(string channel)
    {
        lock (_pending)
            return _pending.TryGetValue(channel, out var signal) ? signal : _pending[channel] = new SemaphoreSlim(0);
    }
}

/// <summary>
/// Sends one channel's texts from the <see cref="TextOutbox"/>, each recipient's in order: a transient failure (the
/// channel down, no access token while its configuration is being fixed) backs off and retries for up to a day, the
/// recipient's later texts waiting behind it; a refusal is logged and dropped. Of several instances, the one holding
/// the channel's delivery lease sends (each finds what the others queued).
/// </summary>
public abstract class TextDelivery(
    string channel, ITextOutboxStore store, TextOutbox outbox, TimeProvider time, ILogger logger,
    IClusterLeases leases) : BackgroundService
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    protected TimeProvider Clock => time;
    protected ILogger Logger => logger;

    protected abstract bool Enabled { get; }

    protected abstract Task<WeChatResult> SendAsync(OutboxText text, CancellationToken cancellationToken);

    /// <summary>Worth another try later: busy (-1) or unreachable, by default.</summary>
    protected virtual bool IsTransient(WeChatResult result) => result.Transient;

    protected virtual void Refused(OutboxText text, WeChatResult result) =>
        logger.LogWarning("{Channel} text not delivered: {Result}", channel, result);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await HoldingAsync(stoppingToken)) await DeliverDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "{Channel} delivery failed; trying again shortly", channel);
            }
            await outbox.WaitAsync(channel, TimeSpan.FromSeconds(1), stoppingToken);
        }
    }

    private Task<bool> HoldingAsync(CancellationToken cancellationToken) =>
        leases.TryHoldAsync($"delivery:{channel}", TimeSpan.FromSeconds(30), cancellationToken);

    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        var blocked = new HashSet<string>();
        var queued = store.Queued(channel);
        LinliMetrics.OutboxDepth(channel, queued.Count);
        foreach (var text in queued)
        {
            if (cancellationToken.IsCancellationRequested) return;
            // A later text never overtakes an earlier one still waiting for the same recipient.
            if (blocked.Contains(text.To) || text.NextAttemptAt > time.GetUtcNow())
            {
                blocked.Add(text.To);
                continue;
            }
            // Renewed before each text: an instance that lost the lease mid-round stops, and never sends a text
            // the new holder sends too.
            if (!await HoldingAsync(cancellationToken)) return;
            var result = await SendAsync(text, cancellationToken);
            if (result.Ok || !IsTransient(result) || time.GetUtcNow() - text.QueuedAt > GiveUpAfter)
            {
                LinliMetrics.Delivered(channel, result.Ok ? "sent" : "dropped");
                if (!result.Ok) Refused(text, result);
                store.Remove(text.Id);
                continue;
            }
            LinliMetrics.Delivered(channel, "retry");
            var delay = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, text.Attempts + 1)));
            store.Save(text with
            {
                Attempts = text.Attempts + 1,
                NextAttemptAt = time.GetUtcNow() + delay,
                LastError = result.ToString(),
            });
            blocked.Add(text.To);
        }
    }
}
