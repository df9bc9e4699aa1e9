using System.Collections.Concurrent;
using Linli.Bot.Turns;
using Linli.Cluster;
using Linli.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Linli.Tests.Cluster;

/// <summary>Instances of Linli on one real Redis, as <see cref="RedisCluster"/>s with names of their own.</summary>
public sealed class RedisClusterTests
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private static RedisCluster Instance(string name) =>
        new(TestRedis.Connect(), NullLogger<RedisCluster>.Instance, name);

    [Fact]
    public async Task WhatOneInstancePublishesTheOthersHearAndItDoesNot()
    {
        var (a, b, c) = (Instance("a"), Instance("b"), Instance("c"));
        var heard = new ConcurrentQueue<string>();
        var arrived = new SemaphoreSlim(0);
        void Listen(string who, RedisCluster instance) => instance.Subscribe(_run, message =>
        {
            heard.Enqueue($"{who}:{message}");
            arrived.Release();
        });
        Listen("a", a);
        Listen("b", b);
        using var goneAway = c.Subscribe(_run, message => heard.Enqueue($"c:{message}"));
        goneAway.Dispose();

        a.Publish(_run, "第一条\nline two");
        b.Publish(_run, "second");
        Assert.True(await arrived.WaitAsync(Patience, Cancel));
        Assert.True(await arrived.WaitAsync(Patience, Cancel));
        // A sentinel from the one that stopped listening: everything before it has arrived.
        c.Publish(_run, "end");
        Assert.True(await arrived.WaitAsync(Patience, Cancel));
        Assert.True(await arrived.WaitAsync(Patience, Cancel));

        Assert.Equal(["a:end", "a:second", "b:end", "b:第一条\nline two"], heard.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ALeaseIsOneInstancesUntilItRunsOut()
    {
        var (a, b) = (Instance("a"), Instance("b"));
        var ttl = TimeSpan.FromMilliseconds(400);

        Assert.True(await a.TryHoldAsync(_run, ttl, Cancel));
        Assert.False(await b.TryHoldAsync(_run, ttl, Cancel));
        Assert.True(await a.TryHoldAsync(_run, ttl, Cancel));   // renewed by its holder

        // a stops asking (it died): b takes over once the time runs out.
        var deadline = DateTime.UtcNow + Patience;
        while (!await b.TryHoldAsync(_run, ttl, Cancel) && DateTime.UtcNow < deadline)
            await Task.Delay(50, Cancel);
        Assert.False(await a.TryHoldAsync(_run, ttl, Cancel));
    }

    [Fact]
    public async Task ALeaseGivenUpIsTakenAtOnceAndOnlyItsHolderGivesItUp()
    {
        var (a, b) = (Instance("a"), Instance("b"));
        var ttl = TimeSpan.FromMinutes(5);
        Assert.True(await a.TryHoldAsync(_run, ttl, Cancel));

        await b.ReleaseAsync(_run);   // not b's to give
        Assert.False(await b.TryHoldAsync(_run, ttl, Cancel));
        await a.ReleaseAsync(_run);   // a stops
        Assert.True(await b.TryHoldAsync(_run, ttl, Cancel));
    }

    [Fact]
    public async Task TurnsOfOneConversationTakeTurnsAcrossInstances()
    {
        ITurnGate a = Instance("a"), b = Instance("b");
        var inside = 0;
        var most = 0;
        var entered = 0;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            await using var held = await (i % 2 == 0 ? a : b).EnterAsync($"directline|{_run}", Cancel);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await Task.Delay(5, Cancel);
            Interlocked.Decrement(ref inside);
            Interlocked.Increment(ref entered);
        }, Cancel)));

        Assert.Equal((12, 1), (entered, most));
        // Another conversation never waits on this one.
        await using var other = await b.EnterAsync($"directline|{_run}-other", Cancel);
        await using var again = await a.EnterAsync($"directline|{_run}", Cancel);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = target; value > seen; seen = target)
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
