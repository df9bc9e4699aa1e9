using System.Collections.Concurrent;
using Linli.Hosting;
using StackExchange.Redis;

namespace Linli.Cluster;

/// <summary>
/// Rooms' members across instances on one Redis. A room is a hash of member → how many instances have them there
/// (its length is the count); each instance keeps what it added in a set of its own, beside a key saying it is alive
/// that it renews every few seconds. An instance whose key has lapsed is dead: one of the others (under a lease)
/// takes what it added out of every room and tells the rooms' new counts. An instance that was only slow, and finds
/// itself counted out, adds its members back.
/// </summary>
/// <param name="beat">How often an instance says it is alive and looks for instances that are not; one that has
/// not said so for four beats is dead.</param>
public sealed class RedisPresence(
    IConnectionMultiplexer redis, IClusterLeases leases, ILogger<RedisPresence> logger, string instance,
    string cluster, TimeSpan beat) : BackgroundService, IClusterPresence
{
    private TimeSpan Lapse => beat * 4;

    // An instance adds a member to a room once (again after being counted out: nothing changes if it is there).
    private const string Arrive = """
        if redis.call('sadd', KEYS[2], ARGV[2]) == 1 then redis.call('hincrby', KEYS[1], ARGV[1], 1) end
        return redis.call('hlen', KEYS[1])
        """;

    // What this instance did not add (it was counted out meanwhile) it does not take away.
    private const string Depart = """
        if redis.call('srem', KEYS[2], ARGV[2]) == 1 and redis.call('hincrby', KEYS[1], ARGV[1], -1) <= 0 then
          redis.call('hdel', KEYS[1], ARGV[1])
        end
        return redis.call('hlen', KEYS[1])
        """;

    // KEYS: the instance's alive key, its hash, the set of instances; ARGV: its name, the rooms' key prefix, and
    // whether to count it out even if alive (it is stopping). Returns room, count, room, count…
    private const string CountOut = """
        if ARGV[3] == '0' and redis.call('exists', KEYS[1]) == 1 then return {} end
        local rooms = {}
        for _, added in ipairs(redis.call('smembers', KEYS[2])) do
          local bar = string.find(added, '\n', 1, true)
          local room = string.sub(added, 1, bar - 1)
          local key = ARGV[2] .. room
          local member = string.sub(added, bar + 1)
          if redis.call('hincrby', key, member, -1) <= 0 then redis.call('hdel', key, member) end
          rooms[room] = true
        end
        redis.call('del', KEYS[1], KEYS[2])
        redis.call('srem', KEYS[3], ARGV[1])
        local counts = {}
        for room in pairs(rooms) do
          table.insert(counts, room)
          table.insert(counts, redis.call('hlen', ARGV[2] .. room))
        end
        return counts
        """;

    /// <summary>What this instance has added, to add again if it was counted out while alive.</summary>
    private readonly ConcurrentDictionary<(string Room, string Member), byte> _added = new();

    private string Instances => $"{cluster}:presence-instances";
    private RedisKey Room(string room) => $"{cluster}:presence:{room}";
    private RedisKey Added(string name) => $"{cluster}:presence-of:{name}";
    private RedisKey Alive(string name) => $"{cluster}:alive:{name}";

    public event Action<string, int>? Recounted;

    public async Task<int> ArriveAsync(string room, string member)
    {
        _added[(room, member)] = 0;
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(Arrive, [Room(room), Added(instance)],
            [member, room + "\n" + member]);
    }

    public async Task<int> DepartAsync(string room, string member)
    {
        _added.TryRemove((room, member), out _);
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(Depart, [Room(room), Added(instance)],
            [member, room + "\n" + member]);
    }

    public async Task<int> CountAsync(string room) => (int)await redis.GetDatabase().HashLengthAsync(Room(room));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(beat);
        do
        {
            try
            {
                await SayAliveAsync();
                if (await leases.TryHoldAsync(nameof(RedisPresence), Lapse, stoppingToken))
                    await CountOutTheDeadAsync();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Redis unreachable: presence not renewed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Counts this instance's members out of their rooms at once: the others need not wait for it to lapse.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await leases.ReleaseAsync(nameof(RedisPresence));
        try { Tell(await CountOutAsync(instance, evenIfAlive: true)); }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not count this instance's members out: the others will when it lapses");
        }
    }

    private async Task SayAliveAsync()
    {
        var database = redis.GetDatabase();
        await database.StringSetAsync(Alive(instance), "1", Lapse);
        // Not among the instances: just started, or counted out while alive (a long pause): add back what is here.
        if (!await database.SetAddAsync(Instances, instance)) return;
        foreach (var (room, member) in _added.Keys)
        {
            var count = await database.ScriptEvaluateAsync(Arrive, [Room(room), Added(instance)],
                [member, room + "\n" + member]);
            // Gone while being added back: taken out again (departing twice changes nothing).
            if (!_added.ContainsKey((room, member)))
                count = await database.ScriptEvaluateAsync(Depart, [Room(room), Added(instance)],
                    [member, room + "\n" + member]);
            Recounted?.Invoke(room, (int)count);
        }
    }

    private async Task CountOutTheDeadAsync()
    {
        foreach (var name in await redis.GetDatabase().SetMembersAsync(Instances))
            if (name.ToString() != instance)
                Tell(await CountOutAsync(name.ToString(), evenIfAlive: false));
    }

    private async Task<RedisResult[]> CountOutAsync(string name, bool evenIfAlive) =>
        (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(CountOut,
            [Alive(name), Added(name), Instances], [name, $"{cluster}:presence:", evenIfAlive ? "1" : "0"]))!;

    private void Tell(RedisResult[] counts)
    {
        for (var i = 0; i + 1 < counts.Length; i += 2)
            Recounted?.Invoke(counts[i].ToString(), (int)counts[i + 1]);
    }
}
