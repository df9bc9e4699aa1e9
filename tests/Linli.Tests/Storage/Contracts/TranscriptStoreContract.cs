using LiteDB;
using Linli.StaffConsole;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="ITranscriptStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class TranscriptStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    protected abstract ITranscriptStore Store { get; }

    private static TranscriptEntry Line(string conversation, string text, DateTimeOffset? at = null) => new()
    {
        Conversation = conversation, At = at ?? Noon, Role = "user", Text = text,
    };

    [Fact]
    public async Task LinesAreReadPerConversationInTheOrderTheyCame()
    {
        // One instant for all: the order is the order of appending, not of time or text.
        foreach (var text in new[] { "c", "a", "b" }) await Store.AppendAsync([Line("directline|c1", text)]);
        await Store.AppendAsync([Line("directline|c2", "elsewhere")]);

        Assert.Equal(["c", "a", "b"], Store.Read("directline|c1").Select(l => l.Text));
        Assert.Equal(["elsewhere"], Store.Read("directline|c2").Select(l => l.Text));
        Assert.Empty(Store.Read("wechat|c1"));
    }

    [Fact]
    public async Task ReadingTakesTheLastLinesOldestFirst()
    {
        for (var i = 0; i < 5; i++) await Store.AppendAsync([Line("directline|c1", $"{i}", Noon.AddSeconds(i))]);

        Assert.Equal(["3", "4"], Store.Read("directline|c1", take: 2).Select(l => l.Text));
        Assert.Equal(5, Store.Read("directline|c1").Count);
    }

    [Fact]
    public async Task ATurnsLinesAppendedTogetherReadInOrderAmongLinesAppendedAlone()
    {
        await Store.AppendAsync([Line("directline|c1", "1")]);
        await Store.AppendAsync([Line("directline|c1", "2"), Line("directline|c1", "3"), Line("directline|c1", "4")]);
        await Store.AppendAsync([Line("directline|c2", "elsewhere")]);
        await Store.AppendAsync([Line("directline|c1", "5"), Line("directline|c1", "6")]);

        Assert.Equal(["1", "2", "3", "4", "5", "6"], Store.Read("directline|c1").Select(l => l.Text));
        // The last lines, even when they begin inside a turn's.
        Assert.Equal(["4", "5", "6"], Store.Read("directline|c1", take: 3).Select(l => l.Text));
        Assert.Equal(["6"], Store.Read("directline|c1", take: 1).Select(l => l.Text));
        Assert.All(Store.Read("directline|c1"), l => Assert.Equal("directline|c1", l.Conversation));
    }

    [Fact]
    public async Task EveryFieldRoundTrips()
    {
        var line = new TranscriptEntry
        {
            Conversation = "wechat|o-1", At = new DateTimeOffset(2026, 11, 2, 4, 5, 6, 789, TimeSpan.Zero),
            Role = "bot", Name = "邻里", Text = "请问是哪一盏灯？", Attachments = ["/files/a.png"],
            Buttons = ["大堂", "电梯口"],
        };
        await Store.AppendAsync([line]);
        await Store.AppendAsync([line with { Text = "一" }, line with { Role = "user", Name = null, Text = "二" }]);

        var read = Store.Read("wechat|o-1");
        Assert.Equivalent(line, read[0], strict: true);
        Assert.Equivalent(line with { Text = "一" }, read[1], strict: true);
        Assert.Equivalent(line with { Role = "user", Name = null, Text = "二" }, read[2], strict: true);
    }

    [Fact]
    public async Task PruningDeletesLinesBeforeTheCutoffInEveryConversation()
    {
        await Store.AppendAsync([Line("directline|c1", "old", Noon.AddDays(-181))]);
        await Store.AppendAsync([Line("directline|c1", "kept", Noon.AddDays(-179))]);
        await Store.AppendAsync([Line("wechat|c2", "old too", Noon.AddDays(-200))]);
        await Store.AppendAsync([Line("wechat|c2", "on the cutoff", Noon.AddDays(-180))]);

        var longAgo = Noon.AddDays(-190);
        await Store.AppendAsync([Line("wechat|c3", "an old turn", longAgo), Line("wechat|c3", "its reply", longAgo)]);

        Assert.Equal(4, Store.DeleteBefore(Noon.AddDays(-180)));
        Assert.Empty(Store.Read("wechat|c3"));
        Assert.Equal(["kept"], Store.Read("directline|c1").Select(l => l.Text));
        Assert.Equal(["on the cutoff"], Store.Read("wechat|c2").Select(l => l.Text));
        Assert.Equal(0, Store.DeleteBefore(Noon.AddDays(-180)));
    }

    [Fact]
    public async Task PruningGoesByEachLinesTimeNotTheOrderTheyCame()
    {
        // Kept late, or a clock set back: the lines' times are not in the order they were appended.
        var said = new[] { (-179, "a"), (-200, "old"), (-185, "older"), (0, "b"), (-181, "old too"), (-1, "c") };
        foreach (var (days, text) in said)
            await Store.AppendAsync([Line("directline|c1", text, Noon.AddDays(days))]);
        await Store.AppendAsync([Line("directline|c2", "d", Noon), Line("directline|c2", "e", Noon)]);
        await Store.AppendAsync([Line("directline|c2", "old", Noon.AddDays(-190))]);

        Assert.Equal(4, Store.DeleteBefore(Noon.AddDays(-180)));
        Assert.Equal(["a", "b", "c"], Store.Read("directline|c1").Select(l => l.Text));
        Assert.Equal(["d", "e"], Store.Read("directline|c2").Select(l => l.Text));
        await Store.AppendAsync([Line("directline|c2", "f", Noon)]);
        Assert.Equal(["d", "e", "f"], Store.Read("directline|c2").Select(l => l.Text));
    }
}

public sealed class LiteTranscriptStoreTests : TranscriptStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteTranscriptStoreTests() => Store = new LiteTranscriptStore(_db);

    protected override ITranscriptStore Store { get; }

    [Fact]
    public async Task ATurnsLinesAreOneDocument()
    {
        var lines = Enumerable.Range(0, 3).Select(i => new TranscriptEntry
        {
            Conversation = "webchat|c1", At = DateTimeOffset.UnixEpoch, Role = i == 0 ? "user" : "bot", Text = $"{i}",
        }).ToList();
        await Store.AppendAsync(lines);
        await Store.AppendAsync([lines[0]]);

        Assert.Equal(2, _db.GetCollection(LinliDatabase.TranscriptsName).Count());
        Assert.Equal(4, LiteTranscriptStore.AllLines(_db).Count());
    }

    [Fact]
    public async Task AChainDamagedIntoALoopIsReadOnceThrough()
    {
        var noon = new DateTimeOffset(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);
        await Store.AppendAsync([Line("webchat|c1", "first", noon)]);
        await Store.AppendAsync([Line("webchat|c1", "second", noon)]);
        var documents = _db.GetCollection(LinliDatabase.TranscriptsName);
        var (first, second) = (documents.FindAll().First(), documents.FindAll().Last());
        first["Prev"] = second["_id"];
        documents.Update(first);

        Assert.Equal(["first", "second"], Store.Read("webchat|c1", take: 10).Select(l => l.Text));
    }

    [Fact]
    public async Task PruningForgetsAConversationsNewestOnlyOnceAllOfItIsGone()
    {
        var noon = new DateTimeOffset(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);
        await Store.AppendAsync([Line("webchat|gone", "old", noon.AddDays(-200))]);
        await Store.AppendAsync([Line("webchat|kept", "old", noon.AddDays(-200))]);
        await Store.AppendAsync([Line("webchat|kept", "new", noon)]);

        Assert.Equal(2, Store.DeleteBefore(noon.AddDays(-180)));

        var heads = _db.GetCollection(LiteTranscriptStore.HeadsName).FindAll().Select(h => h["_id"].AsString);
        Assert.Equal(["webchat|kept"], heads);
        await Store.AppendAsync([Line("webchat|gone", "back", noon)]);
        await Store.AppendAsync([Line("webchat|kept", "newer", noon)]);
        Assert.Equal(["back"], Store.Read("webchat|gone").Select(l => l.Text));
        Assert.Equal(["new", "newer"], Store.Read("webchat|kept").Select(l => l.Text));
    }

    [Fact]
    public async Task ErasingAConversationLeavesNoneOfItsDocumentsAndTheOthersWhole()
    {
        await Store.AppendAsync([Line("webchat|mine", "1")]);
        await Store.AppendAsync([Line("webchat|theirs", "a")]);
        await Store.AppendAsync([Line("webchat|mine", "2"), Line("webchat|mine", "3")]);
        await Store.AppendAsync([Line("webchat|theirs", "b")]);

        // One outside the chain, as a broken link would leave it: erased all the same.
        _db.GetCollection(LinliDatabase.TranscriptsName).Insert(_db.Mapper.ToDocument(Line("webchat|mine", "lost")));

        LiteTranscriptStore.DeleteConversation(_db, "webchat|mine");

        var left = _db.GetCollection(LinliDatabase.TranscriptsName).FindAll().Select(d => d["Conversation"].AsString);
        Assert.Equal(["webchat|theirs", "webchat|theirs"], left);
        Assert.Null(_db.GetCollection(LiteTranscriptStore.HeadsName).FindById("webchat|mine"));
        Assert.Equal(["a", "b"], Store.Read("webchat|theirs").Select(l => l.Text));
        await Store.AppendAsync([Line("webchat|mine", "4")]);
        Assert.Equal(["4"], Store.Read("webchat|mine").Select(l => l.Text));
    }

    [Fact]
    public async Task AFileMadeBeforeChainsReadsTheSameOnceOpened()
    {
        using var directory = new TempDirectory();
        var file = directory.File("estate.db");
        using (var before = LinliDatabase.Open(file))
        {
            // As such files were written: lines alone and turns' together, found by an index on the conversation.
            var documents = before.GetCollection(LinliDatabase.TranscriptsName);
            documents.EnsureIndex("Conversation", "$.Conversation");
            documents.Insert(before.Mapper.ToDocument(Line("webchat|c1", "1")));
            documents.Insert(before.Mapper.ToDocument(Line("webchat|c2", "elsewhere")));
            documents.Insert(new BsonDocument
            {
                ["Conversation"] = "webchat|c1", ["At"] = before.Mapper.Serialize(DateTimeOffset.UnixEpoch),
                ["Lines"] = new BsonArray(new[] { "2", "3" }.Select(text =>
                {
                    var line = before.Mapper.ToDocument(Line("webchat|c1", text));
                    line.Remove("Conversation");
                    return line;
                })),
            });
            documents.Insert(before.Mapper.ToDocument(Line("webchat|c1", "4")));
            documents.Insert(new BsonDocument { ["At"] = before.Mapper.Serialize(DateTimeOffset.UnixEpoch) });
        }

        for (var opening = 0; opening < 2; opening++)
        {
            using var after = LinliDatabase.Open(file);
            var store = new LiteTranscriptStore(after);
            Assert.Equal(["1", "2", "3", "4"], store.Read("webchat|c1").Select(l => l.Text));
            Assert.Equal(["3", "4"], store.Read("webchat|c1", take: 2).Select(l => l.Text));
            Assert.Equal(["elsewhere"], store.Read("webchat|c2").Select(l => l.Text));
            Assert.DoesNotContain(after.GetCollection("$indexes").FindAll(),
                i => i["collection"] == LinliDatabase.TranscriptsName && i["name"] == "Conversation");
        }
        using var appended = LinliDatabase.Open(file);
        await new LiteTranscriptStore(appended).AppendAsync([Line("webchat|c1", "5")]);
        var all = LiteTranscriptStore.LinesOf(appended, "webchat|c1");
        Assert.Equal(["1", "2", "3", "4", "5"], all.Select(l => l.Text));
    }

    [Fact]
    public async Task AppendsRunAgainAfterAWriteBesideThemFailedKeepTheirOrder()
    {
        await Store.AppendAsync([Line("webchat|c1", "1")]);
        // The writer held busy while three writes queue, so they share one commit; the one that fails rolls it back
        // and each of the others runs again alone.
        using var busy = new ManualResetEventSlim();
        var holding = _db.Together.RunAsync(() => busy.Wait(TimeSpan.FromSeconds(10)));
        var second = Store.AppendAsync([Line("webchat|c1", "2")]);
        var failing = _db.Together.RunAsync<int>(() => throw new InvalidOperationException("refused"));
        var third = Store.AppendAsync([Line("webchat|c1", "3"), Line("webchat|c1", "4")]);
        busy.Set();
        await Task.WhenAll(holding, second, third);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);

        Assert.Equal(["1", "2", "3", "4"], Store.Read("webchat|c1").Select(l => l.Text));
        Assert.Equal(3, _db.GetCollection(LinliDatabase.TranscriptsName).Count());
    }

    private static TranscriptEntry Line(string conversation, string text, DateTimeOffset? at = null) => new()
    {
        Conversation = conversation, At = at ?? DateTimeOffset.UnixEpoch, Role = "user", Text = text,
    };

    public void Dispose() => _db.Dispose();
}

public sealed class PgTranscriptStoreTests : TranscriptStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITranscriptStore Store => field ??= new PgTranscriptStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
