namespace Linli.Channels.WeChat;

/// <summary>
/// An access token of WeChat's or WeCom's APIs (both valid 7,200 s, both limited to a few thousand fetches a day):
/// fetched once, shared, renewed five minutes before it expires by one caller at a time while the others wait, and
/// dropped when the API calls it invalid or expired, so the next call fetches a new one.
/// </summary>
public sealed class AccessTokenCache(
    Func<CancellationToken, Task<(string Token, int ExpiresIn)>> fetch, TimeProvider time)
{
    private static readonly TimeSpan Early = TimeSpan.FromMinutes(5);
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
            var (token, expiresIn) = await fetch(cancellationToken);
            var lifetime = TimeSpan.FromSeconds(expiresIn);
            _current = new Held(token, time.GetUtcNow() + (lifetime > Early * 2 ? lifetime - Early : lifetime / 2));
            return token;
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
    }
}
