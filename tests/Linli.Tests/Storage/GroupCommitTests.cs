using LiteDB;
using Linli.Storage.LiteDb;
using Linli.Tests.Support;

namespace Linli.Tests.Storage;

/// <summary>
/// Writes made at once share a commit: each caller still learns its own outcome, only once its write is on disk, and a
/// write that fails takes nothing of the others with it.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Holds the writer inside a write until released, so what is queued meanwhile shares the next commit.</summary>
    private static (Task Held, ManualResetEventSlim Release) Hold(LinliDatabase db)
    {
        var release = new ManualResetEventSlim();
        var entered = new ManualResetEventSlim();
        var held = db.Together.RunAsync(() =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        return (held, release);
    }

    [Fact]
    public async Task AFailingWriteFailsOnlyItsCallerAndTheOthersInItsCommitLand()
    {
        using var db = LinliDatabase.Open(_dir.File("linli.db"));
        var (held, release) = Hold(db);
        var first = db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity("a", At)));
        var failing = db.Together.RunAsync<bool>(() => throw new InvalidOperationException("refused"));
        var duplicate = db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity("a", At)));
        var last = db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity("b", At)));
        release.Set();
        await held;

        Assert.Equal("a", (await first).AsString);
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        var refused = await Assert.ThrowsAsync<LiteException>(() => duplicate);
        Assert.Equal(LiteException.INDEX_DUPLICATE_KEY, refused.ErrorCode);
        Assert.Equal("b", (await last).AsString);
        Assert.Equal(["a", "b"], db.ProcessedActivities.FindAll().Select(p => p.Id).Order());
    }

    [Fact]
    public async Task TheWriterCopiesTheLogIntoTheFileWhenNothingWaits()
    {
        var path = _dir.File("linli.db");
        var log = Path.Combine(Path.GetDirectoryName(path)!, "linli-log.db");
        using (var db = LinliDatabase.Open(path))
        {
            // One write at a time: each its own commit, and nothing waiting after it.
            Task Write(int i) =>
                db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity($"a{i}", At)));
            for (var i = 1; i < GroupCommit.CheckpointAfter; i++) await Write(i);
            Assert.True(new FileInfo(log).Length > 0);
            await Write(GroupCommit.CheckpointAfter);

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (new FileInfo(log).Length > 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
                await Task.Delay(20, TestContext.Current.CancellationToken);
            Assert.Equal(0, new FileInfo(log).Length);
        }
        using var reopened = LinliDatabase.Open(path);
        Assert.Equal(GroupCommit.CheckpointAfter, reopened.ProcessedActivities.Count());
    }

    [Fact]
    public async Task WritesRunInTheOrderTheyWereQueuedAndSeeTheOnesBefore()
    {
        using var db = LinliDatabase.Open(_dir.File("linli.db"));
        var (held, release) = Hold(db);
        var writes = Enumerable.Range(0, 20).Select(i => db.Together.RunAsync(() =>
        {
            var before = db.ProcessedActivities.Count();
            db.ProcessedActivities.Insert(new ProcessedActivity($"m{i:D2}", At));
            return before;
        })).ToList();
        release.Set();
        await held;

        Assert.Equal(Enumerable.Range(0, 20), await Task.WhenAll(writes));
    }

    [Fact]
    public async Task WhatIsAcknowledgedIsInTheFileWhenItIsOpenedAgain()
    {
        var path = _dir.File("linli.db");
        using (var db = LinliDatabase.Open(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
                db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity($"m{i}", At))))));
            // Queued, not awaited: committed before the file closes.
            _ = db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity("last", At)));
        }
        using (var db = LinliDatabase.Open(path))
            Assert.Equal(201, db.ProcessedActivities.Count());
    }

    [Fact]
    public async Task AWriteQueuedAfterTheDatabaseClosedIsRefused()
    {
        var db = LinliDatabase.Open(_dir.File("linli.db"));
        await db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity("a", At)));
        db.Dispose();

        // Refused at once, not queued for a writer that is gone.
        Assert.IsType<ObjectDisposedException>(Record.Exception(() => { _ = db.Together.RunAsync(() => 1); }));
    }
}
