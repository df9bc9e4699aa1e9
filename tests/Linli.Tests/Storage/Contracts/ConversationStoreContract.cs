using System.Text.Json.Nodes;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every conversation state and reference store must do; implementations run these by deriving.</summary>
public abstract class ConversationStoreContract
{
    protected abstract IConversationStateStore States { get; }
    protected abstract IConversationReferenceStore References { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StateIsKeptPerChannelAndConversation()
    {
        await States.SaveAsync("directline", "c1", new JsonObject { ["dialog"] = "repair", ["step"] = 2 }, Ct);
        await States.SaveAsync("wechat", "c1", new JsonObject { ["dialog"] = "fees" }, Ct);

        var repair = await States.LoadAsync("directline", "c1", Ct);
        Assert.Equal("""{"dialog":"repair","step":2}""", repair!.ToJsonString());
        Assert.Equal("""{"dialog":"fees"}""", (await States.LoadAsync("wechat", "c1", Ct))!.ToJsonString());
        Assert.Null(await States.LoadAsync("directline", "c2", Ct));
    }

    [Fact]
    public async Task SavingStateAgainReplacesIt()
    {
        await States.SaveAsync("directline", "c1", new JsonObject { ["step"] = 1 }, Ct);
        await States.SaveAsync("directline", "c1", new JsonObject { ["step"] = 2 }, Ct);
        Assert.Equal("""{"step":2}""", (await States.LoadAsync("directline", "c1", Ct))!.ToJsonString());
    }

    [Fact]
    public async Task TheLatestReferenceOfAUserOnAChannelIsFound()
    {
        await References.SaveAsync(Reference("directline", "u1", "c1", "zh-CN"), Ct);
        await References.SaveAsync(Reference("directline", "u1", "c2", "en-US"), Ct);
        await References.SaveAsync(Reference("wechat", "u1", "w1", null), Ct);

        var found = await References.FindAsync("directline", "u1", Ct);
        Assert.Equal(("c2", "en-US", "https://example.test/"),
            (found!.Conversation!.Id, found.Locale, found.ServiceUrl));
        Assert.Equal("w1", (await References.FindAsync("wechat", "u1", Ct))!.Conversation!.Id);
        Assert.Null(await References.FindAsync("directline", "u2", Ct));
    }

    [Fact]
    public async Task WhenAReferenceWasLastSavedIsKnown()
    {
        Assert.Null(await References.LastSavedAsync("wechat", "u1", Ct));
        var before = Now();
        await References.SaveAsync(Reference("wechat", "u1", "w1", null), Ct);
        var saved = await References.LastSavedAsync("wechat", "u1", Ct);
        Assert.InRange(saved!.Value, before.AddSeconds(-1), Now().AddSeconds(1));
    }

    protected abstract DateTimeOffset Now();

    private static ConversationReference Reference(string channel, string user, string conversation,
        string? locale) => new()
        {
            ChannelId = channel,
            User = new ChannelAccount(user, role: "user"),
            Bot = new ChannelAccount("linli", "邻里", "bot"),
            Conversation = new ConversationAccount(conversation),
            ServiceUrl = "https://example.test/",
            Locale = locale,
        };
}

public sealed class LiteConversationStoreTests : ConversationStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteConversationStoreTests()
    {
        States = new LiteConversationStateStore(_db, TimeProvider.System);
        References = new LiteConversationReferenceStore(_db, TimeProvider.System);
    }

    protected override IConversationStateStore States { get; }
    protected override IConversationReferenceStore References { get; }

    protected override DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    public void Dispose() => _db.Dispose();
}

public sealed class PgConversationStoreTests : ConversationStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IConversationStateStore States =>
        field ??= new PgConversationStateStore(_postgres.Db, TimeProvider.System);

    protected override IConversationReferenceStore References =>
        field ??= new PgConversationReferenceStore(_postgres.Db, TimeProvider.System);

    protected override DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    public void Dispose() => _postgres.Dispose();
}
