using Linli.Channels.WeChat;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeCom;

/// <summary>An app message on its way to a member of staff, kept until WeCom takes it.</summary>
public sealed record WeComOutboxItem
{
    /// <summary>Sortable: each member's messages leave in the order they were queued.</summary>
    public required string Id { get; init; }
    /// <summary>The member's WeCom userid.</summary>
    public required string UserId { get; init; }
    public required string Text { get; init; }
    public int Attempts { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
}

/// <summary>
/// What goes to staff over WeCom: written to LiteDB at once and sent by <see cref="WeComDelivery"/>, so that a page
/// costs the ticket's lock one insert, never a call to WeCom, and an outage or a restart delays it but loses none.
/// </summary>
public sealed class WeComOutbox(LinliDatabase db, TimeProvider time)
{
    private readonly SemaphoreSlim _pending = new(0);
    private long _sequence;

    /// <summary>Queues <paramref name="text"/>, in pieces of what WeCom takes (2,048 bytes) when longer.</summary>
    public void Enqueue(string userId, string text)
    {
        var now = time.GetUtcNow();
        foreach (var piece in WeChatText.Split(text))
            db.WeComOutbox.Insert(new WeComOutboxItem
            {
                Id = $"{now.UtcTicks:D19}-{Interlocked.Increment(ref _sequence):D9}",
                UserId = userId, Text = piece, NextAttemptAt = now,
            });
        _pending.Release();
    }

    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try { await _pending.WaitAsync(timeout, cancellationToken); }
        catch (OperationCanceledException) { }
    }
}

/// <summary>
/// Sends the WeCom outbox, each member's messages in order. WeCom's "system busy" and an unreachable WeCom back off
/// and retry; a refusal (an unknown member, an untrusted IP, a wrong secret) is logged and dropped, as a page that
/// arrives hours late is worse than one that does not: the log and the staff console have it too.
/// </summary>
public sealed class WeComDelivery(
    LinliDatabase db,
    WeComOutbox outbox,
    WeComClient client,
    IOptions<WeComOptions> options,
    TimeProvider time,
    ILogger<WeComDelivery> logger) : BackgroundService
{
    private const int MaxAttempts = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await DeliverDueAsync(stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "WeCom delivery failed; trying again shortly");
            }
            await outbox.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }

    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        var blocked = new HashSet<string>();
        foreach (var item in db.WeComOutbox.FindAll().OrderBy(i => i.Id, StringComparer.Ordinal).ToList())
        {
            if (cancellationToken.IsCancellationRequested) return;
            // A later message never overtakes an earlier one still waiting for the same member.
            if (blocked.Contains(item.UserId) || item.NextAttemptAt > time.GetUtcNow())
            {
                blocked.Add(item.UserId);
                continue;
            }
            var result = await client.SendTextAsync(item.UserId, item.Text, cancellationToken);
            if (result.Ok || !Transient(result) || item.Attempts + 1 >= MaxAttempts)
            {
                if (!result.Ok) Refused(item, result);
                db.WeComOutbox.Delete(item.Id);
                continue;
            }
            var delay = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, item.Attempts + 1)));
            db.WeComOutbox.Update(item with
            {
                Attempts = item.Attempts + 1, NextAttemptAt = time.GetUtcNow() + delay, LastError = result.ToString(),
            });
            blocked.Add(item.UserId);
        }
    }

    /// <summary>WeCom busy (-1), unreachable, or over its call frequency (45009): worth another try.</summary>
    private static bool Transient(WeChatResult result) => result.Transient || result.ErrCode == 45009;

    private void Refused(WeComOutboxItem item, WeChatResult result)
    {
        var hint = result.ErrCode switch
        {
            WeComClient.InvalidUser => "; is the userid right, and the member within the app's visible range (可见范围)?",
            60020 => "; add this server's address to the app's trusted IPs (企业可信IP)",
            40001 or 40013 => "; check WeCom:CorpId and WeCom:Secret",
            _ => "",
        };
        logger.LogWarning("WeCom message to {UserId} not delivered: {Result}{Hint}", item.UserId, result, hint);
    }
}
