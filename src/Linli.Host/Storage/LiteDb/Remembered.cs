using System.Collections.Concurrent;

namespace Linli.Storage.LiteDb;

/// <summary>
/// What one collection holds under each id, as its store last read or wrote it, so the lookups every turn makes (the
/// conversation's state, the resident's binding, a handoff) read memory, not the file. An id known to be missing is
/// remembered too. It is true only because the file is this process's alone (it holds the file's lock) and every
/// write to the collection goes through its store, which tells it what it wrote once that is committed. Bounded: when
/// full it forgets everything and starts again, which costs one read per id.
/// </summary>
/// <remarks>
/// Ids compare without case, as LiteDB compares the <c>_id</c> of a string (its default collation ignores case).
/// </remarks>
public sealed class Remembered<T>(int capacity) where T : class
{
    private readonly ConcurrentDictionary<string, T?> _known = new(StringComparer.OrdinalIgnoreCase);

    // Reading a missing id and remembering what was read, and every change, take turns: a read of the file cannot
    // put back what a write made stale.
    private readonly Lock _changing = new();
    private int _count;

    /// <summary>What is under <paramref name="id"/>: remembered, or else read by <paramref name="read"/>.</summary>
    public T? Get(string id, Func<string, T?> read)
    {
        if (_known.TryGetValue(id, out var value)) return value;
        lock (_changing)
        {
            if (_known.TryGetValue(id, out value)) return value;
            value = read(id);
            Keep(id, value);
            return value;
        }
    }

    /// <summary>Runs <paramref name="write"/> and remembers what it leaves under <paramref name="id"/>.</summary>
    public TResult Write<TResult>(string id, Func<TResult> write, Func<TResult, T?> left)
    {
        lock (_changing)
        {
            var result = write();
            Keep(id, left(result));
            return result;
        }
    }

    /// <summary>
    /// Remembers <paramref name="value"/> under <paramref name="id"/>, once a write of it is committed. The caller
    /// makes sure no other write of the same id is committed meanwhile.
    /// </summary>
    public void Set(string id, T? value)
    {
        lock (_changing) Keep(id, value);
    }

    /// <summary>Forgets <paramref name="id"/>: the next <see cref="Get"/> reads it again.</summary>
    public void Forget(string id)
    {
        lock (_changing)
            if (_known.TryRemove(id, out _)) _count--;
    }

    private void Keep(string id, T? value)
    {
        if (_known.ContainsKey(id))
        {
            _known[id] = value;
            return;
        }
        if (_count >= capacity)
        {
            _known.Clear();
            _count = 0;
        }
        _known[id] = value;
        _count++;
    }
}
