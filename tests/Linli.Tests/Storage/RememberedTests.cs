using System.Text.Json.Nodes;
using Linli.Residents;
using Linli.StaffConsole;
using Linli.Storage.LiteDb;
using Linli.Tests.Support;

namespace Linli.Tests.Storage;

/// <summary>
/// What a LiteDB store remembers of a collection stays what the file holds: a missing id is read once, a write
/// replaces what was remembered, and a read racing a write cannot put back what the write made stale.
/// </summary>
public sealed class RememberedTests : IDisposable
{
    private sealed record Item(string Text);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AMissingIdIsReadOnceAndFoundOnceWritten()
    {
        var known = new Remembered<Item>(capacity: 10, StringComparer.OrdinalIgnoreCase);
        var reads = 0;
        Item? Read(string id)
        {
            reads++;
            return null;
        }

        Assert.Null(known.Get("a", Read));
        Assert.Null(known.Get("A", Read));
        Assert.Equal(1, reads);

        Assert.Equal(7, known.Write("a", () => 7, _ => new Item("written")));
        Assert.Equal("written", known.Get("a", Read)?.Text);
        known.Forget("a");
        Assert.Null(known.Get("a", Read));
        Assert.Equal(2, reads);
    }

    [Fact]
    public void AFailingWriteLeavesWhatWasRemembered()
    {
        var known = new Remembered<Item>(capacity: 10, StringComparer.OrdinalIgnoreCase);
        known.Set("a", new Item("kept"), known.Mark);

        Assert.Throws<InvalidOperationException>(() =>
            known.Write<bool>("a", () => throw new InvalidOperationException("refused"), _ => new Item("lost")));

        // What the file holds after a failed write is read again.
        Assert.Equal("file", known.Get("a", _ => new Item("file"))?.Text);
    }

    [Fact]
    public void ASaveThatAnErasureOvertookIsReadFromTheFileAgain()
    {
        var known = new Remembered<Item>(capacity: 10, StringComparer.OrdinalIgnoreCase);
        var mark = known.Mark;
        // The save commits, then the erasure deletes it, then the save would remember what it saved.
        known.Write("a", () => true, _ => null);
        known.Set("a", new Item("erased"), mark);

        Assert.Null(known.Get("a", _ => null));
        known.Set("a", new Item("saved"), known.Mark);
        Assert.Equal("saved", known.Get("a", _ => null)?.Text);
    }

    [Fact]
    public void WhenFullItForgetsAndReadsAgain()
    {
        var known = new Remembered<Item>(capacity: 2, StringComparer.OrdinalIgnoreCase);
        var reads = 0;
        Item Read(string id)
        {
            reads++;
            return new Item(id);
        }

        known.Get("a", Read);
        known.Get("b", Read);
        known.Get("a", Read);
        Assert.Equal(2, reads);
        known.Get("c", Read);
        Assert.Equal(3, reads);
        Assert.Equal("a", known.Get("a", Read)?.Text);
        Assert.Equal(4, reads);
    }

    [Fact]
    public async Task AReadOfTheFileRacingAWriteCannotPutBackWhatTheWriteReplaced()
    {
        var known = new Remembered<Item>(capacity: 10, StringComparer.OrdinalIgnoreCase);
        using var reading = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var read = Task.Run(() => known.Get("a", _ =>
        {
            reading.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return new Item("old");
        }), Ct);
        Assert.True(reading.Wait(TimeSpan.FromSeconds(30), Ct));

        // The write does not wait for the read of the file (held for up to 30 s).
        var write = Task.Run(() => known.Write("a", () => true, _ => new Item("new")), Ct);
        Assert.Same(write, await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(10), Ct)));
        release.Set();

        Assert.Equal("old", (await read)?.Text);
        Assert.Equal("new", known.Get("a", _ => new Item("file"))?.Text);
    }

    [Fact]
    public async Task StoresOverOneFileShareWhatTheyRemember()
    {
        using var db = LinliDatabase.Open(_dir.File("linli.db"));
        var (states, otherStates) = (new LiteConversationStateStore(db, TimeProvider.System),
            new LiteConversationStateStore(db, TimeProvider.System));
        var (bindings, otherBindings) = (new LiteResidentBindingStore(db), new LiteResidentBindingStore(db));
        var (handoffs, otherHandoffs) = (new LiteHandoffStore(db), new LiteHandoffStore(db));
        Assert.Null(await otherStates.LoadAsync("wechat", "c1", Ct));
        Assert.Null(otherBindings.Find("wechat", "o1"));
        Assert.Null(otherHandoffs.Find("wechat", "o1"));

        await states.SaveAsync("wechat", "c1", new JsonObject { ["step"] = 2 }, Ct);
        bindings.Save(new ResidentBinding
        {
            Id = ResidentBinding.IdFor("wechat", "o1"), CommunityId = "citong", UnitId = "u1", PersonId = "p1",
            BoundAt = DateTimeOffset.UnixEpoch,
        });
        handoffs.Save(new HandoffRecord
        {
            Id = HandoffRecord.Key("wechat", "o1"), TicketNumber = "T1", StaffPersonId = "s1", StaffName = "陈",
            Since = DateTimeOffset.UnixEpoch,
        });

        Assert.Equal("""{"step":2}""", (await otherStates.LoadAsync("wechat", "c1", Ct))?.ToJsonString());
        Assert.Equal("p1", otherBindings.Find("wechat", "o1")?.PersonId);
        Assert.Equal("T1", otherHandoffs.Find("wechat", "o1")?.TicketNumber);
        Assert.True(handoffs.Remove("wechat", "o1"));
        Assert.Null(otherHandoffs.Find("wechat", "o1"));
    }

    [Fact]
    public async Task WhatIsRememberedIsWhatTheFileHoldsWhenItOpensAgain()
    {
        var path = _dir.File("linli.db");
        using (var db = LinliDatabase.Open(path))
        {
            var states = new LiteConversationStateStore(db, TimeProvider.System);
            await states.SaveAsync("wechat", "c1", new JsonObject { ["step"] = 1 }, Ct);
            Assert.NotNull(await states.LoadAsync("wechat", "c1", Ct));
            LiteConversationStateStore.Erase(db, "wechat|c1");
            Assert.Null(await states.LoadAsync("wechat", "c1", Ct));
            await states.SaveAsync("wechat", "c2", new JsonObject { ["step"] = 2 }, Ct);
        }

        using var reopened = LinliDatabase.Open(path);
        var again = new LiteConversationStateStore(reopened, TimeProvider.System);
        Assert.Null(await again.LoadAsync("wechat", "c1", Ct));
        Assert.Equal("""{"step":2}""", (await again.LoadAsync("wechat", "c2", Ct))?.ToJsonString());
    }
}
