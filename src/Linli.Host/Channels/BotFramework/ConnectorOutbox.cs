using Linli.Hosting;
using System.Net;
using Linli.Bot.Schema;

namespace Linli.Channels.BotFramework;

/// <summary>
/// Replies and proactive messages bound for a Connector. They are written to LiteDB first and delivered by
/// <see cref="ConnectorDelivery"/>, so a Connector outage or a restart delays them but loses none.
/// </summary>
public sealed class ConnectorOutbox(IConnectorOutboxStore store, TimeProvider time)
{
    private readonly SemaphoreSlim _pending = new(0);

    public void Enqueue(Activity activity, string? replyToId)
    {
        var now = time.GetUtcNow();
        store.Add(new OutboxItem
        {
            Id = OutboxIds.Next(now),
            ServiceUrl = activity.ServiceUrl!,
            ConversationId = activity.Conversation!.Id!,
            ReplyToId = replyToId,
            Json = ActivityJson.Serialize(activity),
            NextAttemptAt = now,
        });
        _pending.Release();
    }

    /// <summary>Waits until something is enqueued or the timeout passes.</summary>
    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try { await _pending.WaitAsync(timeout, cancellationToken); }
        catch (OperationCanceledException) { }
    }
}

/// <summary>
/// Delivers the outbox in order, per conversation; backs off on failures and gives up on what a Connector refuses.
/// Each Connector host has its own run, so a host that is slow or never answers delays only its own conversations.
/// Of several instances, the one holding the delivery's lease delivers (each finds what the others queued).
/// </summary>
public sealed class ConnectorDelivery(IConnectorOutboxStore store, ConnectorOutbox outbox, IServiceProvider services,
    TimeProvider time, IClusterLeases leases, ILogger<ConnectorDelivery> logger) : BackgroundService
{
    private const int MaxAttempts = 10;
    private readonly Dictionary<string, Task> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await Holding(stoppingToken)) StartDue(stoppingToken);
            await outbox.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
        }
        Task[] left;
        lock (_running) left = [.. _running.Values];
        try { await Task.WhenAll(left); } catch (OperationCanceledException) { }
    }

    private async Task<bool> Holding(CancellationToken cancellationToken)
    {
        try { return await leases.TryHoldAsync("delivery:connector", TimeSpan.FromSeconds(30), cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Cannot tell whether this instance delivers; trying again shortly");
            return false;
        }
    }

    /// <summary>Delivers everything due now, every host at once, and returns when each host's run has ended.</summary>
    public Task DeliverDueAsync(CancellationToken cancellationToken) => Task.WhenAll(StartDue(cancellationToken));

    /// <summary>Starts a run for every host with something due that has none going; returns the runs of those hosts.</summary>
    private List<Task> StartDue(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hosts = store.ServiceUrlsDue(now).Select(Host).Distinct().ToList();
        var runs = new List<Task>();
        lock (_running)
        {
            foreach (var host in hosts)
            {
                if (!_running.TryGetValue(host, out var run))
                {
                    run = Task.Run(() => DeliverHostAsync(host, cancellationToken), CancellationToken.None);
                    _running[host] = run;
                    _ = run.ContinueWith(_ => { lock (_running) _running.Remove(host); }, TaskScheduler.Default);
                }
                runs.Add(run);
            }
        }
        return runs;
    }

    private static string Host(string serviceUrl) =>
        Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) ? uri.Authority.ToLowerInvariant() : serviceUrl;

    private async Task DeliverHostAsync(string host, CancellationToken cancellationToken)
    {
        var client = services.GetRequiredService<ConnectorClient>();
        var blocked = new HashSet<string>();
        var items = store.Queued().Where(i => Host(i.ServiceUrl) == host).ToList();
        foreach (var item in items)
        {
            if (cancellationToken.IsCancellationRequested) return;
            // Never let a later message overtake an earlier one that is still waiting.
            if (blocked.Contains(item.ConversationId) || item.NextAttemptAt > time.GetUtcNow())
            {
                blocked.Add(item.ConversationId);
                continue;
            }

            // Renewed before each item: a run that lost the lease stops, and never sends what the new holder sends.
            if (!await Holding(cancellationToken)) return;
            string? error;
            var permanent = false;
            try
            {
                using var response = await client.SendAsync(item, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    store.Remove(item.Id);
                    LinliMetrics.Delivered("connector", "sent");
                    continue;
                }
                error = $"HTTP {(int)response.StatusCode}";
                permanent = (int)response.StatusCode is >= 400 and < 500
                            && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                                       && ex is HttpRequestException or TimeoutException or TaskCanceledException
                                           or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
            {
                error = ex.Message;
            }

            if (permanent || item.Attempts + 1 >= MaxAttempts)
            {
                logger.LogError("Gave up delivering to conversation {Conversation} at {ServiceUrl}: {Error}", item.ConversationId, item.ServiceUrl, error);
                store.Remove(item.Id);
                LinliMetrics.Delivered("connector", "dropped");
                continue;
            }
            LinliMetrics.Delivered("connector", "retry");
            var delay = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, item.Attempts + 1)));
            store.Save(item with
            {
                Attempts = item.Attempts + 1,
                NextAttemptAt = time.GetUtcNow() + delay,
                LastError = error,
            });
            logger.LogWarning("Delivery to conversation {Conversation} failed ({Error}); retrying in {Delay}", item.ConversationId, error, delay);
            blocked.Add(item.ConversationId);
        }
    }
}
