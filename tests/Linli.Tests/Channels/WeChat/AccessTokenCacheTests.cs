using Linli.Channels.WeChat;
using Linli.Cluster;
using Linli.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Channels.WeChat;

/// <summary>
/// One access token shared by every caller, renewed early by one of them, dropped when WeChat refuses it.
/// </summary>
public sealed class AccessTokenCacheTests
{
    private int _fetched;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T02:00:00Z"));

    private async Task<(string, int)> FetchAsync(CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _fetched);
        await Task.Delay(50, ct);   // a round trip to WeChat, during which others ask too
        return ($"token-{n}", 7200);
    }

    [Fact]
    public async Task CallersAtOnceShareOneFetch()
    {
        var tokens = new AccessTokenCache(FetchAsync, _clock);
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tokens.GetAsync(CancellationToken.None)));
        Assert.All(all, t => Assert.Equal("token-1", t));
        Assert.Equal(1, _fetched);
    }

    [Fact]
    public async Task ATokenIsRenewedFiveMinutesBeforeItExpires()
    {
        var tokens = new AccessTokenCache(FetchAsync, _clock);
        Assert.Equal("token-1", await tokens.GetAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(7200 - 301));
        Assert.Equal("token-1", await tokens.GetAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("token-2", await tokens.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ARefusedTokenIsDroppedOnceAndAStaleRefusalChangesNothing()
    {
        var tokens = new AccessTokenCache(FetchAsync, _clock);
        var first = await tokens.GetAsync(CancellationToken.None);
        tokens.Invalidate(first);
        var second = await tokens.GetAsync(CancellationToken.None);
        Assert.Equal("token-2", second);
        // Another caller's refusal of the old token comes in late: the new one stays.
        tokens.Invalidate(first);
        Assert.Equal("token-2", await tokens.GetAsync(CancellationToken.None));
        Assert.Equal(2, _fetched);
    }

    [Fact]
    public async Task InstancesOnOneRedisShareOneTokenAndOneRefusalCostsOneFetch()
    {
        var redis = TestRedis.Connect();
        var cluster = "t" + Guid.NewGuid().ToString("N")[..8];
        AccessTokenCache Instance(string name)
        {
            var instance = new RedisCluster(redis, NullLogger<RedisCluster>.Instance, name, cluster);
            return new AccessTokenCache(FetchAsync, TimeProvider.System, "wechat-token:wx1", instance, instance);
        }
        var (a, b) = (Instance("a"), Instance("b"));

        var all = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => (i % 2 == 0 ? a : b).GetAsync(CancellationToken.None)));
        Assert.All(all, t => Assert.Equal("token-1", t));
        Assert.Equal(1, _fetched);

        // WeChat refuses the token on a: a fetches the next; b, refused too, takes a's rather than fetching.
        a.Invalidate("token-1");
        Assert.Equal("token-2", await a.GetAsync(CancellationToken.None));
        Assert.Equal("token-1", await b.GetAsync(CancellationToken.None));   // what b holds until refused
        b.Invalidate("token-1");
        Assert.Equal("token-2", await b.GetAsync(CancellationToken.None));
        Assert.Equal(2, _fetched);
        // A third instance started later fetches nothing.
        Assert.Equal("token-2", await Instance("c").GetAsync(CancellationToken.None));
        Assert.Equal(2, _fetched);
    }
}
