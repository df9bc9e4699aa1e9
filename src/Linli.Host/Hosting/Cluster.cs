namespace Linli.Hosting;

/// <summary>
/// What the instances of one Linli (several behind a load balancer, on one PostgreSQL) tell each other: a Direct Line
/// reply made on one reaches a WebSocket open on another. One instance alone has nobody to tell.
/// </summary>
public interface IClusterSignals
{
    /// <summary>Tells every other instance; this one's own listeners are its caller's to tell.</summary>
    void Publish(string topic, string message);

    /// <summary>Hears what the other instances publish on <paramref name="topic"/>, until disposed.</summary>
    IDisposable Subscribe(string topic, Action<string> handler);
}

/// <summary>Work that runs on one instance at a time (a timer that pages staff, a reminder that texts owners).
/// </summary>
public interface IClusterLeases
{
    /// <summary>
    /// Whether this instance holds <paramref name="name"/> for <paramref name="ttl"/> from now: taken when free,
    /// renewed when already held, false while another instance holds it. A holder that stops asking (or dies) loses
    /// it when the time runs out.
    /// </summary>
    Task<bool> TryHoldAsync(string name, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Gives <paramref name="name"/> up, if this instance holds it: a stopping instance's work goes on elsewhere.
    /// </summary>
    Task ReleaseAsync(string name);
}

/// <summary>Linli on one instance (no <c>ConnectionStrings:Redis</c>): nobody to tell, every lease its own.</summary>
public sealed class SingleInstance : IClusterSignals, IClusterLeases
{
    public void Publish(string topic, string message)
    {
    }

    public IDisposable Subscribe(string topic, Action<string> handler) => Nothing.Instance;

    public Task<bool> TryHoldAsync(string name, TimeSpan ttl, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task ReleaseAsync(string name) => Task.CompletedTask;

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}
