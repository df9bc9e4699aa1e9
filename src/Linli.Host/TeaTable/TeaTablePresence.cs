using Linli.Hosting;

namespace Linli.TeaTable;

/// <summary>
/// Who has which thread open. This instance knows its own connections (a connection is one person's, in any number of
/// threads); the count of neighbours is the cluster's, across instances, a person with two tabs counted once. A
/// person's first connection to a thread here and their last are told to the cluster in the order they happened.
/// Should the cluster not answer, the count is this instance's own.
/// </summary>
public sealed class TeaTablePresence(IClusterPresence cluster, ILogger<TeaTablePresence> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Connection> _connections = new();
    private readonly Dictionary<(int Thread, string Person), int> _tabs = new();
    private readonly Dictionary<int, int> _people = new();

    /// <summary>One person's arrivals and departures in one thread, told one at a time (striped, not one lock each).
    /// </summary>
    private readonly SemaphoreSlim[] _order = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public static string Room(int threadId) => "tea:" + threadId;

    public static int? ThreadOf(string room) =>
        room.StartsWith("tea:", StringComparison.Ordinal) && int.TryParse(room.AsSpan(4), out var id) ? id : null;

    /// <summary>The caller's connection is in the thread now; returns how many neighbours are.</summary>
    public async Task<int> EnterAsync(int threadId, string connectionId, string personId)
    {
        var order = Order(threadId, personId);
        await order.WaitAsync();
        try
        {
            bool first;
            lock (_gate)
            {
                if (!_connections.TryGetValue(connectionId, out var connection))
                    _connections[connectionId] = connection = new Connection(personId);
                first = connection.Threads.Add(threadId) && Change(threadId, personId, +1);
            }
            return await CountAsync(threadId, personId, first ? cluster.ArriveAsync : null);
        }
        finally { order.Release(); }
    }

    /// <summary>The connection has left the thread; the count now, or null if it was not there.</summary>
    public async Task<int?> LeaveAsync(int threadId, string connectionId)
    {
        string? person;
        lock (_gate)
            person = _connections.TryGetValue(connectionId, out var connection) && connection.Threads.Contains(threadId)
                ? connection.Person
                : null;
        return person is null ? null : await DepartAsync(threadId, connectionId, person);
    }

    /// <summary>The connection closed: every thread it was in, with its count now.</summary>
    public async Task<List<(int ThreadId, int Count)>> LeaveAllAsync(string connectionId)
    {
        Connection? connection;
        lock (_gate)
            connection = _connections.GetValueOrDefault(connectionId);
        var left = new List<(int, int)>();
        if (connection is null) return left;
        foreach (var threadId in Snapshot(connection))
            if (await DepartAsync(threadId, connectionId, connection.Person) is { } count)
                left.Add((threadId, count));
        lock (_gate)
            if (connection.Threads.Count == 0) _connections.Remove(connectionId);
        return left;
    }

    /// <summary>How many neighbours have the thread open.</summary>
    public Task<int> CountAsync(int threadId) => CountAsync(threadId, "", null);

    public bool IsIn(int threadId, string connectionId)
    {
        lock (_gate)
            return _connections.TryGetValue(connectionId, out var connection) && connection.Threads.Contains(threadId);
    }

    private async Task<int?> DepartAsync(int threadId, string connectionId, string personId)
    {
        var order = Order(threadId, personId);
        await order.WaitAsync();
        try
        {
            bool last;
            lock (_gate)
            {
                if (!_connections.TryGetValue(connectionId, out var connection) ||
                    !connection.Threads.Remove(threadId))
                    return null;
                last = Change(threadId, personId, -1);
            }
            return await CountAsync(threadId, personId, last ? cluster.DepartAsync : null);
        }
        finally { order.Release(); }
    }

    /// <summary>Counts the person's tabs in the thread; whether they became here, or stopped being here.</summary>
    private bool Change(int threadId, string personId, int by)
    {
        var tabs = _tabs.GetValueOrDefault((threadId, personId)) + by;
        if (tabs > 0) _tabs[(threadId, personId)] = tabs;
        else _tabs.Remove((threadId, personId));
        var changed = by > 0 ? tabs == 1 : tabs == 0;
        if (changed)
        {
            var people = _people.GetValueOrDefault(threadId) + by;
            if (people > 0) _people[threadId] = people;
            else _people.Remove(threadId);
        }
        return changed;
    }

    private async Task<int> CountAsync(int threadId, string personId, Func<string, string, Task<int>>? tell)
    {
        try
        {
            return tell is null ? await cluster.CountAsync(Room(threadId)) : await tell(Room(threadId), personId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The cluster did not answer: thread {Thread} counted on this instance", threadId);
            lock (_gate)
                return _people.GetValueOrDefault(threadId);
        }
    }

    private List<int> Snapshot(Connection connection)
    {
        lock (_gate)
            return [.. connection.Threads];
    }

    private SemaphoreSlim Order(int threadId, string personId) =>
        _order[(int)((uint)HashCode.Combine(threadId, personId) % (uint)_order.Length)];

    private sealed class Connection(string person)
    {
        public string Person => person;
        public HashSet<int> Threads { get; } = [];
    }
}
