using Linli.Hosting;

namespace Linli.Channels.WeChat;

/// <summary>
/// An access token of WeChat's or WeCom's APIs (both valid 7,200 s, both limited to a few thousand fetches a day):
/// fetched once, shared, renewed five minutes before it expires by one caller at a time while the others wait, and
/// dropped when the API calls it invalid or expired, so the next call fetches a new one. Of several instances, one
/// fetches and the others read its token from the cluster: a token fetched makes the one before it invalid within
/// minutes, so instances fetching their own would keep refusing each other's.
/// </summary>
/// <param name="name">The token among the cluster's values (the app it is for).</param>
public sealed class AccessTokenCache(
    Func<CancellationToken, Task<(string Token, int ExpiresIn)>> fetch, TimeProvider time, string name = "token",
    IClusterValues? shared = null, IClusterLeases? leases = null)
{
    private static readonly TimeSpan Early = TimeSpan.FromMinutes(5);

    /// <summary>How long another instance's fetch is waited for before this one fetches its own.</summary>
    private static readonly TimeSpan OthersFetch = TimeSpan.FromSeconds(20);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Held? _current;

    private sealed record Held(string Token, DateTimeOffset Until);

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } held && held.Until > time.GetUtcNow()) return held.Token;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Whoever waited behind the caller that renewed it takes the renewed token.
            if (_current is { } renewed && renewed.Until > time.GetUtcNow()) return renewed.Token;
            _current = shared is null || leases is null
                ? await FetchAsync(cancellationToken)
                : await FromClusterAsync(shared, leases, cancellationToken);
            return _current.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The API refused <paramref name="token"/> (40001, 40014, 42001): forget it, unless another caller has
    /// already replaced it, so a burst of refusals costs one fetch.
    /// </summary>
    public void Invalidate(string token)
    {
        if (_current is { } held && held.Token == token) _current = null;
        if (shared is not null) _ = Quietly(() => shared.ForgetAsync(name, token));
    }

    private async Task<Held> FetchAsync(CancellationToken cancellationToken)
    {
        var (token, expiresIn) = await fetch(cancellationToken);
        var lifetime = TimeSpan.FromSeconds(expiresIn);
        return new Held(token, time.GetUtcNow() + (lifetime > Early * 2 ? lifetime - Early : lifetime / 2));
    }

    /// <summary>
    /// The cluster's token; fetched here, under the token's lease, when it has none. Without the cluster answering,
    /// this instance fetches its own.
    /// </summary>
    private async Task<Held> FromClusterAsync(IClusterValues values, IClusterLeases lease,
        CancellationToken cancellationToken)
    {
        var giveUp = time.GetUtcNow() + OthersFetch;
        while (time.GetUtcNow() < giveUp)
        {
            Held? known;
            bool mine;
            try
            {
                known = await KnownAsync(values);
                // Held, looked again: fetched by another instance between the look and the lease.
                mine = known is null && await lease.TryHoldAsync(name, OthersFetch, cancellationToken) &&
                       (known = await KnownAsync(values)) is null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                break;
            }
            if (known is not null) return known;
            if (!mine)
            {
                // Another instance is fetching it.
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
                continue;
            }
            try
            {
                var fetched = await FetchAsync(cancellationToken);
                await Quietly(() => values.SetAsync(name, fetched.Token, fetched.Until));
                return fetched;
            }
            finally
            {
                await lease.ReleaseAsync(name);
            }
        }
        return await FetchAsync(cancellationToken);
    }

    private async Task<Held?> KnownAsync(IClusterValues values) =>
        await values.GetAsync(name) is { } known && known.Until > time.GetUtcNow()
            ? new Held(known.Value, known.Until)
            : null;

    /// <summary>What the cluster is told when it may not answer: the token lapses there by itself.</summary>
    private static async Task Quietly(Func<Task> tell)
    {
        try { await tell(); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Lapses by itself.
        }
    }
}
