using System.Collections.Concurrent;
using Linli.Bot.Turns;
using Linli.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Linli.Cluster;

/// <summary>
/// The instances of one Linli on one Redis: messages on its pub/sub channels (<c>{cluster}:{topic}</c>), leases and
/// turn gates as keys that expire (<c>SET … NX PX</c>), released only by their holder.
/// </summary>
/// <param name="instance">This instance's name among the others (tests run several in one process).</param>
/// <param name="cluster">
/// What this Linli's keys and channels begin with (<c>Cluster:Name</c>): several Linli deployments may share a Redis.
/// </param>
public sealed class RedisCluster(
    IConnectionMultiplexer redis, ILogger<RedisCluster> logger, string? instance = null, string cluster = "linli")
    : IClusterSignals, IClusterLeases, ITurnGate, IClusterValues
{
    /// <summary>This process among the instances: its messages are not heard back, its leases are its own.</summary>
    public static readonly string ThisProcess =
        $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public string Instance { get; } = instance ?? ThisProcess;

    /// <summary>How long a turn may hold its conversation before another may take it (the turn's instance died).
    /// </summary>
    private static readonly TimeSpan TurnHold = TimeSpan.FromSeconds(60);

    private const string Renew = """
        if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
        if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    private const string Release = """
        if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
        return 0
        """;

    private readonly ConcurrentDictionary<string, Lazy<Topic>> _topics = new();

    public void Publish(string topic, string message) =>
        redis.GetSubscriber().Publish(Channel(topic), $"{Instance}\n{message}", CommandFlags.FireAndForget);

    public IDisposable Subscribe(string topic, Action<string> handler)
    {
        // One Redis subscription per topic, however many handlers this instance has for it.
        var subscribed = _topics.GetOrAdd(topic, name => new Lazy<Topic>(() =>
        {
            var t = new Topic();
            redis.GetSubscriber().Subscribe(Channel(name), (_, value) => t.Hear(value.ToString(), Instance, logger));
            return t;
        }));
        return subscribed.Value.Add(handler);
    }

    public async Task<bool> TryHoldAsync(string name, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var held = await redis.GetDatabase().ScriptEvaluateAsync(Renew, [(RedisKey)$"{cluster}:lease:{name}"],
            [Instance, (long)ttl.TotalMilliseconds]);
        return (long)held == 1;
    }

    public async Task ReleaseAsync(string name)
    {
        var key = (RedisKey)$"{cluster}:lease:{name}";
        try { await redis.GetDatabase().ScriptEvaluateAsync(Release, [key], [Instance]); }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not give up the lease {Lease}: it lapses by itself", name);
        }
    }

    public async ValueTask<IAsyncDisposable> EnterAsync(string conversationKey, CancellationToken cancellationToken)
    {
        var key = (RedisKey)$"{cluster}:turn:{conversationKey}";
        var token = Guid.NewGuid().ToString("N");
        var database = redis.GetDatabase();
        try
        {
            for (var wait = 2; !await database.StringSetAsync(key, token, TurnHold, When.NotExists);
                 wait = Math.Min(wait * 2, 50))
                await Task.Delay(wait, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis away: the resident is still answered, in order on this instance (its own gate), not across.
            logger.LogWarning(ex, "Redis unreachable: turn of {Conversation} run without the cluster's gate",
                conversationKey);
            return new Held(database, key, token, logger, held: false);
        }
        return new Held(database, key, token, logger, held: true);
    }

    public async Task<(string Value, DateTimeOffset Until)?> GetAsync(string name)
    {
        var kept = (string?)await redis.GetDatabase().StringGetAsync(Value(name)) ?? "";
        var bar = kept.IndexOf('\n', StringComparison.Ordinal);
        return bar > 0 && long.TryParse(kept.AsSpan(0, bar), out var until)
            ? (kept[(bar + 1)..], DateTimeOffset.FromUnixTimeMilliseconds(until))
            : null;
    }

    public async Task SetAsync(string name, string value, DateTimeOffset until)
    {
        var ttl = until - DateTimeOffset.UtcNow;
        if (ttl > TimeSpan.Zero)
            await redis.GetDatabase().StringSetAsync(Value(name), $"{until.ToUnixTimeMilliseconds()}\n{value}", ttl);
    }

    public async Task ForgetAsync(string name, string value)
    {
        const string forget = """
            local kept = redis.call('get', KEYS[1])
            if kept and string.sub(kept, string.find(kept, '\n', 1, true) + 1) == ARGV[1] then
              return redis.call('del', KEYS[1])
            end
            return 0
            """;
        await redis.GetDatabase().ScriptEvaluateAsync(forget, [Value(name)], [value]);
    }

    private RedisKey Value(string name) => $"{cluster}:value:{name}";

    private RedisChannel Channel(string topic) => RedisChannel.Literal($"{cluster}:{topic}");

    private sealed class Held(IDatabase database, RedisKey key, string token, ILogger logger, bool held)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (!held) return;
            try { await database.ScriptEvaluateAsync(Release, [key], [token]); }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // The turn is done and saved; the gate lapses by itself.
                logger.LogWarning(ex, "Could not release the turn gate {Key}", key.ToString());
            }
        }
    }

    /// <summary>The handlers of one topic on this instance.</summary>
    private sealed class Topic
    {
        private readonly ConcurrentDictionary<Handler, byte> _handlers = new();

        public IDisposable Add(Action<string> handler)
        {
            var added = new Handler(handler, this);
            _handlers.TryAdd(added, 0);
            return added;
        }

        public void Hear(string value, string self, ILogger logger)
        {
            var bar = value.IndexOf('\n', StringComparison.Ordinal);
            if (bar < 0 || value.AsSpan(0, bar).SequenceEqual(self)) return;
            var message = value[(bar + 1)..];
            foreach (var handler in _handlers.Keys)
            {
                try { handler.Action(message); }
                catch (Exception ex) { logger.LogError(ex, "A cluster message handler failed"); }
            }
        }

        public sealed class Handler(Action<string> action, Topic topic) : IDisposable
        {
            public Action<string> Action => action;

            public void Dispose() => topic._handlers.TryRemove(this, out _);
        }
    }
}

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable", ex);
        }
    }
}
