using System.Collections.Concurrent;

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

/// <summary>
/// Who is in a room (the people with one thread open) across the instances, each member counted once however many
/// instances they are on. An instance tells its first arrival of a member in a room and its last departure, one at a
/// time for one member; the members of an instance that dies are counted out by the others.
/// </summary>
public interface IClusterPresence
{
    /// <summary>The member is now in the room on this instance; returns how many members the room has.</summary>
    Task<int> ArriveAsync(string room, string member);

    /// <summary>The member has left the room on this instance; returns how many members the room has.</summary>
    Task<int> DepartAsync(string room, string member);

    /// <summary>How many members the room has.</summary>
    Task<int> CountAsync(string room);

    /// <summary>
    /// Heard on one instance when a room's count changed without anyone leaving it here (another instance died or
    /// stopped with members in it): the room and its count now.
    /// </summary>
    event Action<string, int>? Recounted;
}

/// <summary>
/// Values every instance reads until they lapse: an API's access token, fetched by one instance and used by all.
/// </summary>
public interface IClusterValues
{
    /// <summary>The value named so, and until when it holds; null when there is none.</summary>
    Task<(string Value, DateTimeOffset Until)?> GetAsync(string name);

    Task SetAsync(string name, string value, DateTimeOffset until);

    /// <summary>Drops the value, if it is still <paramref name="value"/> (not already replaced).</summary>
    Task ForgetAsync(string name, string value);
}

/// <summary>Linli on one instance (no <c>ConnectionStrings:Redis</c>): nobody to tell, every lease its own.</summary>
public sealed class SingleInstance : IClusterSignals, IClusterLeases, IClusterPresence
{
    private readonly ConcurrentDictionary<string, int> _rooms = new();

    public void Publish(string topic, string message)
    {
    }

    public IDisposable Subscribe(string topic, Action<string> handler) => Nothing.Instance;

    public Task<bool> TryHoldAsync(string name, TimeSpan ttl, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task ReleaseAsync(string name) => Task.CompletedTask;

    public Task<int> ArriveAsync(string room, string member) =>
        Task.FromResult(_rooms.AddOrUpdate(room, 1, (_, n) => n + 1));

    public Task<int> DepartAsync(string room, string member) =>
        Task.FromResult(_rooms.AddOrUpdate(room, 0, (_, n) => Math.Max(n - 1, 0)));

    public Task<int> CountAsync(string room) => Task.FromResult(_rooms.GetValueOrDefault(room));

    /// <summary>Never heard: with one instance, every member leaves through it.</summary>
    public event Action<string, int>? Recounted
    {
        add { }
        remove { }
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}
