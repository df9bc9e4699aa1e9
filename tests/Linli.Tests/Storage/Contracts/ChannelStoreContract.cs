using Linli.Channels;
using Linli.Channels.BotFramework;
using Linli.Channels.WeChat;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every store of the channels must do; each implementation runs these by deriving.</summary>
public abstract class ChannelStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    protected abstract IProcessedActivities Processed { get; }
    protected abstract ITextOutboxStore Texts { get; }
    protected abstract IConnectorOutboxStore Connector { get; }
    protected abstract IWeChatChoicesStore Choices { get; }

    [Fact]
    public async Task AnActivityIsFirstOnce()
    {
        Assert.True(await Processed.FirstTimeAsync("wechat|o1|m1", Noon));
        Assert.False(await Processed.FirstTimeAsync("wechat|o1|m1", Noon.AddSeconds(5)));
        Assert.True(await Processed.FirstTimeAsync("wechat|o1|m2", Noon));
    }

    [Fact]
    public async Task KeysTakenBeforeACutoffAreForgottenAndTheRestKept()
    {
        foreach (var days in new[] { 3, 5, 0 })
            Assert.True(await Processed.FirstTimeAsync($"wechat|o1|{days}", Noon.AddDays(-days)));

        Assert.Equal(2, Processed.ForgetBefore(Noon.AddDays(-2)));
        Assert.Equal(0, Processed.ForgetBefore(Noon.AddDays(-2)));

        Assert.False(await Processed.FirstTimeAsync("wechat|o1|0", Noon));
        Assert.True(await Processed.FirstTimeAsync("wechat|o1|3", Noon));
        Assert.True(await Processed.FirstTimeAsync("wechat|o1|5", Noon));
    }

    [Fact]
    public async Task AnActivityOfferedFromManyThreadsAtOnceIsFirstOnlyOnce()
    {
        var processed = Processed;   // made (or the test skipped) on this thread, before the parallel ones start
        var firsts = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => processed.FirstTimeAsync("msteams|c|a1", Noon))));
        Assert.Single(firsts, first => first);
    }

    private static OutboxText Text(string id, string channel, string to, string text = "你好") => new()
    {
        Id = id, Channel = channel, To = to, Text = text, QueuedAt = Noon, NextAttemptAt = Noon,
    };

    [Fact]
    public void TextsWaitPerChannelInTheOrderOfTheirIds()
    {
        Texts.Add([Text("0002", "wechat", "o1"), Text("0001", "wechat", "o2"), Text("0003", "wecom", "zhangsan")]);
        Texts.Add([Text("0004", "wechat", "o1")]);

        Assert.Equal(["0001", "0002", "0004"], Texts.Queued("wechat").Select(t => t.Id));
        Assert.True(Texts.HasQueued("wechat", "o1"));
        Assert.False(Texts.HasQueued("wecom", "o1"));
    }

    [Fact]
    public void ATextIsRescheduledOrRemoved()
    {
        Texts.Add([Text("0001", "wechat", "o1"), Text("0002", "wechat", "o1")]);
        var first = Texts.Queued("wechat")[0];
        Texts.Save(first with { Attempts = 1, NextAttemptAt = Noon.AddSeconds(2), LastError = "-1 busy" });
        Texts.Remove("0002");

        var left = Assert.Single(Texts.Queued("wechat"));
        Assert.Equal((1, Noon.AddSeconds(2), "-1 busy"), (left.Attempts, left.NextAttemptAt, left.LastError));
        Texts.Remove("0001");
        Assert.False(Texts.HasQueued("wechat", "o1"));
    }

    private static OutboxItem Item(string id, string serviceUrl, DateTimeOffset due) => new()
    {
        Id = id, ServiceUrl = serviceUrl, ConversationId = "c1", Json = "{}", NextAttemptAt = due,
    };

    [Fact]
    public void ConnectorItemsWaitInOrderAndTheirHostsAreDueWhenAnyIs()
    {
        Connector.Add(Item("0002", "https://a.example/", Noon));
        Connector.Add(Item("0001", "https://b.example/", Noon.AddMinutes(5)));
        Connector.Add(Item("0003", "https://a.example/", Noon.AddMinutes(5)));

        Assert.Equal(["0001", "0002", "0003"], Connector.Queued().Select(i => i.Id));
        Assert.Equal(["https://a.example/"], Connector.ServiceUrlsDue(Noon));
        Assert.Equal(["https://a.example/", "https://b.example/"],
            Connector.ServiceUrlsDue(Noon.AddMinutes(5)).Order());

        Connector.Save(Connector.Queued()[1] with { Attempts = 3, NextAttemptAt = Noon.AddHours(1) });
        Connector.Remove("0001");
        Assert.Equal([("0002", 3), ("0003", 0)], Connector.Queued().Select(i => (i.Id, i.Attempts)));
        Assert.Empty(Connector.ServiceUrlsDue(Noon));
    }

    [Fact]
    public void TheLatestChoicesOfAUserAreKeptUntilForgotten()
    {
        Choices.Save(new WeChatChoices("o1", [new WeChatChoice("报修", "repair")], Noon));
        Choices.Save(new WeChatChoices("o1",
            [new WeChatChoice("查物业费", "fees"), new WeChatChoice("投诉", "complaint")], Noon));

        Assert.Equal(["查物业费", "投诉"], Choices.Find("o1")!.Choices.Select(c => c.Title));
        Assert.Null(Choices.Find("o2"));
        Choices.Forget("o1");
        Assert.Null(Choices.Find("o1"));
    }
}

public sealed class LiteChannelStoreTests : ChannelStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteChannelStoreTests()
    {
        Processed = new LiteProcessedActivities(_db);
        Texts = new LiteTextOutboxStore(_db);
        Connector = new LiteConnectorOutboxStore(_db);
        Choices = new LiteWeChatChoicesStore(_db);
    }

    protected override IProcessedActivities Processed { get; }
    protected override ITextOutboxStore Texts { get; }
    protected override IConnectorOutboxStore Connector { get; }
    protected override IWeChatChoicesStore Choices { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgChannelStoreTests : ChannelStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IProcessedActivities Processed => field ??= new PgProcessedActivities(_postgres.Db);
    protected override ITextOutboxStore Texts => field ??= new PgTextOutboxStore(_postgres.Db);
    protected override IConnectorOutboxStore Connector => field ??= new PgConnectorOutboxStore(_postgres.Db);
    protected override IWeChatChoicesStore Choices => field ??= new PgWeChatChoicesStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
