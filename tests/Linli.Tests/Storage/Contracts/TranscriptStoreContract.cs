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

    public void Dispose() => _db.Dispose();
}

public sealed class PgTranscriptStoreTests : TranscriptStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITranscriptStore Store => field ??= new PgTranscriptStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
