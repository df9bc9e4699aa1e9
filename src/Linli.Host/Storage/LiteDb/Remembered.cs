using System.Collections.Concurrent;

namespace Linli.Storage.LiteDb;

/// <summary>
/// What one collection holds under each id, as its store last read or wrote it, so the lookups every turn makes (the
/// conversation's state, the resident's binding, a handoff) read memory, not the file. An id known to be missing is
/// remembered too. It is true only because the file is this process's alone (it holds the file's lock) and every
/// write to the collection goes through its store, which tells it what it wrote once that is committed. Bounded: when
/// full it forgets everything and starts again, which costs one read per id.
/// <para>
/// Nothing waits on the file while holding its lock. A read of the file, or a write, is remembered only if no write
/// or forgetting began meanwhile (<see cref="Mark"/>); otherwise the id is forgotten and read again next time, so
/// what is remembered never goes back to something a write replaced.
/// </para>
/// </summary>
/// <param name="capacity">How many ids it remembers at most.</param>
/// <param name="ids">How the collection compares ids (its collation: LiteDB's default ignores case).</param>
public sealed class Remembered<T>(int capacity, IEqualityComparer<string> ids) where T : class
{
    private readonly ConcurrentDictionary<string, T?> _known = new(ids);
    private readonly Lock _changing = new();
    private int _count;

    // Writes and forgettings begun and ended, each counted: a read or write that sees it move was overtaken.
    private long _changes;

    /// <summary>What is under <paramref name="id"/>: remembered, or else read by <paramref name="read"/>.</summary>
    public T? Get(string id, Func<string, T?> read)
    {
        if (_known.TryGetValue(id, out var value)) return value;
        var mark = Mark;
        value = read(id);
        lock (_changing)
            if (_changes == mark) Keep(id, value);
        return value;
    }

    /// <summary>Runs <paramref name="write"/> and remembers what it leaves under <paramref name="id"/>.</summary>
    public TResult Write<TResult>(string id, Func<TResult> write, Func<TResult, T?> left)
    {
        long mark;
        lock (_changing) mark = ++_changes;
        TResult result;
        try
        {
            result = write();
        }
        catch
        {
            Forget(id);
            throw;
        }
        lock (_changing)
        {
            if (_changes == mark) Keep(id, left(result));
            else Drop(id);
            _changes++;
        }
        return result;
    }

    /// <summary>
    /// Taken before a write that is remembered only once it commits (<see cref="Set"/>): it moves when another
    /// <see cref="Write{TResult}"/> or <see cref="Forget"/> begins or ends.
    /// </summary>
    public long Mark => Volatile.Read(ref _changes);

    /// <summary>
    /// Remembers <paramref name="value"/> under <paramref name="id"/> once a write of it is committed, unless a
    /// write or forgetting ran since <paramref name="mark"/> (an erasure may have deleted it after that commit): then
    /// it forgets <paramref name="id"/>, and the next <see cref="Get"/> reads the file. The caller makes sure no other
    /// write or read of the same id runs meanwhile.
    /// </summary>
    public void Set(string id, T? value, long mark)
    {
        lock (_changing)
        {
            if (_changes == mark) Keep(id, value);
            else Drop(id);
        }
    }

    /// <summary>Forgets <paramref name="id"/>: the next <see cref="Get"/> reads it again.</summary>
    public void Forget(string id)
    {
        lock (_changing)
        {
            Drop(id);
            _changes++;
        }
    }

    private void Drop(string id)
    {
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
