using System.Threading.Channels;
using Linli.Cluster;
using Linli.Hosting;
using Linli.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Linli.Tests.Cluster;

/// <summary>Members of rooms counted across instances on one real Redis, each instance a <see cref="RedisPresence"/>.
/// </summary>
public sealed class RedisPresenceTests : IAsyncDisposable
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);

    /// <summary>This test's own Linli on the shared Redis.</summary>
    private readonly string _cluster = "p" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<RedisPresence> _started = [];

    private async Task<RedisPresence> StartAsync(string name, TimeSpan? beat = null)
    {
        var redis = TestRedis.Connect();
        var leases = new RedisCluster(redis, NullLogger<RedisCluster>.Instance, name, _cluster);
        var presence = new RedisPresence(redis, leases, NullLogger<RedisPresence>.Instance, name, _cluster,
            beat ?? Beat);
        await presence.StartAsync(Cancel);
        _started.Add(presence);
        // Its first beat done: it is among the instances.
        var deadline = DateTime.UtcNow + Patience;
        while (!await redis.GetDatabase().SetContainsAsync($"{_cluster}:presence-instances", name))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name} never said it was alive");
            await Task.Delay(10, Cancel);
        }
        return presence;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var presence in _started) await presence.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AMemberOnTwoInstancesIsCountedOnceUntilTheLastLeaves()
    {
        var (a, b) = (await StartAsync("a"), await StartAsync("b"));

        Assert.Equal(1, await a.ArriveAsync("tea:1", "p-li"));
        Assert.Equal(1, await b.ArriveAsync("tea:1", "p-li"));
        Assert.Equal(2, await b.ArriveAsync("tea:1", "p-wang"));
        Assert.Equal(1, await a.ArriveAsync("tea:2", "p-wang"));   // another room

        Assert.Equal(2, await a.DepartAsync("tea:1", "p-li"));     // still on b
        Assert.Equal(1, await b.DepartAsync("tea:1", "p-li"));
        Assert.Equal(1, await a.DepartAsync("tea:1", "p-li"));     // not a's to take away twice
        Assert.Equal((1, 1), (await a.CountAsync("tea:1"), await b.CountAsync("tea:2")));
    }

    [Fact]
    public async Task WhenAnInstanceDiesAnotherCountsItsMembersOutAndTellsTheNewCounts()
    {
        var (a, b) = (await StartAsync("a"), await StartAsync("b"));
        var told = Channel.CreateUnbounded<(string Room, int Count)>();
        b.Recounted += (room, count) => told.Writer.TryWrite((room, count));
        await a.ArriveAsync("tea:1", "p-li");
        await a.ArriveAsync("tea:1", "p-wang");
        await b.ArriveAsync("tea:1", "p-wang");

        // a dies: it stops beating, and never counts its own members out.
        _started.Remove(a);
        a.Dispose();

        Assert.Equal(("tea:1", 1), await told.Reader.ReadAsync(Cancel).AsTask().WaitAsync(Patience, Cancel));
        Assert.Equal(1, await b.CountAsync("tea:1"));
    }

    [Fact]
    public async Task AStoppingInstanceCountsItsOwnMembersOutAtOnce()
    {
        var (a, b) = (await StartAsync("a"), await StartAsync("b"));
        var told = Channel.CreateUnbounded<(string Room, int Count)>();
        a.Recounted += (room, count) => told.Writer.TryWrite((room, count));
        await a.ArriveAsync("tea:7", "p-li");
        await b.ArriveAsync("tea:7", "p-wang");

        _started.Remove(a);
        await a.StopAsync(Cancel);

        Assert.Equal(("tea:7", 1), await told.Reader.ReadAsync(Cancel).AsTask().WaitAsync(Patience, Cancel));
        Assert.Equal(1, await b.CountAsync("tea:7"));
        Assert.Equal(1, await a.DepartAsync("tea:7", "p-li"));   // its connections closing after: nothing twice
    }

    [Fact]
    public async Task AnInstanceCountedOutWhileAliveAddsItsMembersBack()
    {
        // a beats every two seconds, so its pause can be made between two beats.
        var a = await StartAsync("a", TimeSpan.FromSeconds(2));
        await a.ArriveAsync("tea:3", "p-li");
        await a.ArriveAsync("tea:3", "p-zhao");
        await a.DepartAsync("tea:3", "p-zhao");

        // A long pause: a's word that it is alive lapses (and its lease), another instance takes it for dead and counts
        // it out.
        await TestRedis.Connect().GetDatabase().KeyDeleteAsync(
            [$"{_cluster}:alive:a", $"{_cluster}:lease:{nameof(RedisPresence)}"]);
        var b = await StartAsync("b");
        var deadline = DateTime.UtcNow + Patience;
        while (await b.CountAsync("tea:3") != 0 && DateTime.UtcNow < deadline) await Task.Delay(20, Cancel);
        Assert.Equal(0, await b.CountAsync("tea:3"));

        // a's next beat finds itself gone and adds back what is still here: p-li, not p-zhao.
        while (await b.CountAsync("tea:3") != 1 && DateTime.UtcNow < deadline) await Task.Delay(20, Cancel);
        Assert.Equal(1, await b.CountAsync("tea:3"));
        Assert.Equal(0, await a.DepartAsync("tea:3", "p-li"));
    }

    [Fact]
    public async Task OneInstanceCountsItsRoomsItself()
    {
        IClusterPresence one = new SingleInstance();
        Assert.Equal(1, await one.ArriveAsync("tea:1", "p-li"));
        Assert.Equal(2, await one.ArriveAsync("tea:1", "p-wang"));
        Assert.Equal(1, await one.DepartAsync("tea:1", "p-li"));
        Assert.Equal((1, 0), (await one.CountAsync("tea:1"), await one.CountAsync("tea:2")));
    }
}
