using System.Collections.Concurrent;
using System.Text.Json;
using Linli.Bot.Schema;
using Linli.Channels.DirectLine;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IDirectLineStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class DirectLineStoreContract
{
    protected abstract IDirectLineStore Store { get; }

    private static Activity UserSays(string text, string? clientId = null) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        From = new ChannelAccount("dl_user", role: "user"),
        ChannelData = clientId is null ? null : JsonSerializer.SerializeToElement(new { clientActivityID = clientId }),
    };

    [Fact]
    public void ANewConversationHasAnUnguessableIdAndNothingInIt()
    {
        var first = Store.Create("dl_a", "en-US");
        var second = Store.Create(null);

        Assert.NotEqual(first.Id, second.Id);
        Assert.True(first.Id.Length >= 24, first.Id);
        var found = Store.Find(first.Id)!;
        Assert.Equal(("dl_a", "en-US", 0, false), (found.UserId, found.Locale, found.LastSeq, found.Started));
        Assert.Empty(Store.After(first.Id, 0));
        Assert.Null(Store.Find("nope"));
    }

    [Fact]
    public void ActivitiesAreNumberedInOrderAndReadBackAfterAWatermark()
    {
        var c = Store.Create("dl_a");
        var ids = Enumerable.Range(1, 5).Select(i => Store.Append(c.Id, UserSays($"第{i}句")).Id).ToList();

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"{c.Id}|{i:D7}"), ids);
        var after = Store.After(c.Id, 2);
        Assert.Equal([3, 4, 5], after.Select(a => a.Seq));
        Assert.Equal("第3句", ActivityJson.Deserialize(after[0].Json)!.Text);
        Assert.Equal(5, Store.Find(c.Id)!.LastSeq);
    }

    [Fact]
    public void ConcurrentAppendsGetEveryNumberOnce()
    {
        var c = Store.Create("dl_a");
        var seqs = new ConcurrentBag<int>();
        Parallel.For(0, 40, i => seqs.Add(Store.Append(c.Id, UserSays($"{i}")).Seq));

        Assert.Equal(Enumerable.Range(1, 40), seqs.Order());
        Assert.Equal(Enumerable.Range(1, 40), Store.After(c.Id, 0).Select(a => a.Seq));
    }

    [Fact]
    public void ARetriedClientActivityIsKeptOnce()
    {
        var c = Store.Create("dl_a");
        var (first, isNew) = Store.AppendOnce(c.Id, UserSays("报修", "client-1"));
        var (again, isNewAgain) = Store.AppendOnce(c.Id, UserSays("报修", "client-1"));

        Assert.True(isNew);
        Assert.False(isNewAgain);
        Assert.Equal(first.Id, again.Id);
        Assert.Single(Store.After(c.Id, 0));
        // The same client id in another conversation is another activity.
        var other = Store.Create("dl_b");
        Assert.True(Store.AppendOnce(other.Id, UserSays("报修", "client-1")).IsNew);
    }

    [Fact]
    public void StartedAndTheUserAreSetOnce()
    {
        var c = Store.Create(null);
        Assert.True(Store.MarkStarted(c.Id));
        Assert.False(Store.MarkStarted(c.Id));
        Assert.True(Store.SetUserIfUnknown(c.Id, "dl_a"));
        Assert.False(Store.SetUserIfUnknown(c.Id, "dl_b"));
        Assert.Equal(("dl_a", true), (Store.Find(c.Id)!.UserId, Store.Find(c.Id)!.Started));
        Assert.False(Store.MarkStarted("nope"));
    }

    [Fact]
    public void DeletingAConversationTakesItsActivitiesWithIt()
    {
        var gone = Store.Create("dl_a");
        var kept = Store.Create("dl_b");
        Store.Append(gone.Id, UserSays("a"));
        Store.Append(kept.Id, UserSays("b"));

        Assert.Equal(1, Store.Delete([gone.Id]));
        Assert.Null(Store.Find(gone.Id));
        Assert.Empty(Store.After(gone.Id, 0));
        Assert.Single(Store.After(kept.Id, 0));
    }
}

public sealed class LiteDirectLineStoreTests : DirectLineStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteDirectLineStoreTests() => Store = new LiteDirectLineStore(_db, TimeProvider.System);

    protected override IDirectLineStore Store { get; }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void ConversationsStartedBeforeACutoffAreDeleted()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-01T00:00Z"));
        var store = new LiteDirectLineStore(_db, clock);
        var old = store.Create("dl_a");
        clock.Advance(TimeSpan.FromDays(10));
        var recent = store.Create("dl_b");

        Assert.Equal(1, store.DeleteStartedBefore(clock.GetUtcNow().AddDays(-5)));
        Assert.Null(store.Find(old.Id));
        Assert.NotNull(store.Find(recent.Id));
    }
}

public sealed class PgDirectLineStoreTests : DirectLineStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IDirectLineStore Store => field ??= new PgDirectLineStore(_postgres.Db, TimeProvider.System);

    public void Dispose() => _postgres.Dispose();
}
