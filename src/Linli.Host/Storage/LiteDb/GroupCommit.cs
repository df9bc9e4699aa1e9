using System.Diagnostics;
using System.Threading.Channels;
using Linli.Hosting;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Small writes that many callers make at once (every turn's state, transcript lines and activity ids) committed
/// together: one writer takes whatever is waiting and runs it as one transaction, so one commit (one write of the
/// changed pages to the log, one round of locks) serves every caller waiting then. Each caller's task completes once
/// its write is committed, with the write's own result or error; a write that throws costs the others a second,
/// separate commit each, never their write. Writes run in the order they were queued, one at a time, on the writer:
/// a write may read what an earlier one wrote (a duplicate check needs no lock of its own).
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    /// <summary>At most this many writes share one commit (a commit is bounded; the rest wait for the next).</summary>
    public const int MaxBatch = 256;

    /// <summary>
    /// After this many commits the writer checkpoints (copies the log into the data file) at the first moment nothing
    /// waits. LiteDB would otherwise checkpoint inside a commit once the log reaches 1,000 pages: eight megabytes
    /// copied while every turn waits for its write.
    /// </summary>
    public const int CheckpointAfter = 32;

    private readonly LinliDatabase _db;
    private readonly Action? _rolledBack;
    private readonly Action _checkpoint;
    private readonly ILogger? _log;
    private bool _checkpointsFailing;
    private bool _measuringFailed;
    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new() { SingleReader = true });
    private readonly Task _writer;

    /// <param name="db">The database written.</param>
    /// <param name="rolledBack">
    /// Run on the writer whenever a transaction rolls back, before anything else is written: what writes remember
    /// from one commit to the next (each conversation's transcript head) is forgotten, and read from the file again.
    /// </param>
    /// <param name="log">
    /// Where a checkpoint that fails is said (once, until one succeeds again), and a metric listener that throws.
    /// </param>
    /// <param name="checkpoint">What a checkpoint does: <paramref name="db"/>'s own, unless a test fails it.</param>
    public GroupCommit(LinliDatabase db, Action? rolledBack = null, ILogger? log = null, Action? checkpoint = null)
    {
        _db = db;
        _rolledBack = rolledBack;
        _log = log;
        _checkpoint = checkpoint ?? (() => db.Checkpoint());
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>
    /// Queues <paramref name="write"/> (synchronous LiteDB work, no awaits) and completes once it is committed.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> write)
    {
        var queued = new Write<T>(write);
        if (!_queue.Writer.TryWrite(queued)) throw new ObjectDisposedException(nameof(GroupCommit));
        return queued.Done.Task;
    }

    public Task RunAsync(Action write) => RunAsync(() =>
    {
        write();
        return true;
    });

    private async Task WriteAsync()
    {
        var batch = new List<Write>(MaxBatch);
        var commits = 0;
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write)) batch.Add(write);
            var started = Stopwatch.GetTimestamp();
            Commit(batch);
            Measure(LinliMetrics.Committed, Stopwatch.GetElapsedTime(started));
            batch.Clear();
            if (++commits < CheckpointAfter || _queue.Reader.TryPeek(out _)) continue;
            Checkpoint();
            commits = 0;
        }
    }

    /// <summary>
    /// Copies the log into the data file. One that fails loses nothing (the log keeps every commit, and the next
    /// checkpoint, here or LiteDB's own, copies it), but the log file grows meanwhile: an operator learns of it from
    /// the log (the first failure, then when checkpoints work again) and from the metric, which counts each.
    /// </summary>
    private void Checkpoint()
    {
        var started = Stopwatch.GetTimestamp();
        Exception? failed = null;
        try { _checkpoint(); }
        catch (Exception ex) { failed = ex; }
        Measure(static m => LinliMetrics.Checkpointed(m.Took, m.Failed),
            (Took: Stopwatch.GetElapsedTime(started), Failed: failed));
        if (failed is null && _checkpointsFailing)
            _log?.LogInformation("Checkpoints of the LiteDB file {File} work again.", _db.Location);
        else if (failed is not null && !_checkpointsFailing)
            _log?.LogWarning(failed, "A checkpoint of the LiteDB file {File} failed; nothing is lost, its log grows " +
                                     "until one succeeds. Is the disk full?", _db.Location);
        _checkpointsFailing = failed is not null;
    }

    /// <summary>
    /// Records a measurement. Listeners run inside the call, and one that throws (its own bug) must not end the
    /// writer: every write after it would wait for good. Its first error is logged; the writes go on unmeasured.
    /// </summary>
    private void Measure<T>(Action<T> record, T value)
    {
        try
        {
            record(value);
        }
        catch (Exception ex)
        {
            if (_measuringFailed) return;
            _measuringFailed = true;
            _log?.LogError(ex, "A listener of Linli's storage metrics failed; writes to {File} go on.", _db.Location);
        }
    }

    private void Commit(List<Write> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                _db.InTransaction(() =>
                {
                    foreach (var write in batch) write.Run();
                    return true;
                });
                foreach (var write in batch) write.Succeed();
                return;
            }
            catch (Exception)
            {
                // Rolled back, all of it: each again in a transaction of its own, so only the failing write fails.
                _rolledBack?.Invoke();
            }
        }
        foreach (var write in batch)
        {
            try
            {
                _db.InTransaction(() =>
                {
                    write.Run();
                    return true;
                });
                write.Succeed();
            }
            catch (Exception ex)
            {
                _rolledBack?.Invoke();
                write.Fail(ex);
            }
        }
    }

    /// <summary>Commits what is queued, then stops taking writes.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private abstract class Write
    {
        public abstract void Run();
        public abstract void Succeed();
        public abstract void Fail(Exception error);
    }

    private sealed class Write<T>(Func<T> write) : Write
    {
        private T _result = default!;

        // Callers continue on the thread pool, never on the writer.
        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run() => _result = write();
        public override void Succeed() => Done.TrySetResult(_result);
        public override void Fail(Exception error) => Done.TrySetException(error);
    }
}
