using System.Text.Json.Nodes;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Channels.DirectLine;
using Linli.Privacy;
using Linli.Residents;
using Linli.StaffConsole;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Linli.TeaTable;
using Linli.Tickets;
using static Linli.Tests.Storage.Contracts.TicketDrafts;

namespace Linli.Tests.Storage.Contracts;

/// <summary>
/// What every implementation's <see cref="IPersonalData"/> parts must find, copy and erase of one resident, written
/// through the features' own stores. Each implementation runs these by deriving.
/// </summary>
public abstract class PersonalDataContract
{
    private const string Ct = "north";
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract IReadOnlyList<IPersonalData> Parts { get; }
    protected abstract ITicketStore Tickets { get; }
    protected abstract ITranscriptStore Transcripts { get; }
    protected abstract ITeaThreadStore Threads { get; }
    protected abstract ITeaPostStore Posts { get; }
    protected abstract IConversationStateStore States { get; }
    protected abstract IConversationReferenceStore References { get; }
    protected abstract IDirectLineStore DirectLine { get; }

    private static ResidentBinding Binding(string channel, string user) => new()
    {
        Id = ResidentBinding.IdFor(channel, user), CommunityId = Ct, UnitId = "north-3-0502", PersonId = "p1",
        BoundAt = Noon,
    };

    private static readonly DataSubject Lin = new(Ct, "p1", [Binding("directline", "u1"), Binding("wechat", "o1")]);

    /// <summary>
    /// Lin reported a ticket from one chat, speaks on WeChat and in the web chat; Wang and Lin's namesake in another
    /// community have their own. Returns the web chat's conversation.
    /// </summary>
    private async Task<string> ArrangeAsync()
    {
        Tickets.Add(Draft() with { Reporter = new("directline", "u1", "c-ticket", "p1"), Text = "漏水" });
        Tickets.Add(Draft() with { Reporter = new("directline", "u2", "c-wang", "p2") });
        Tickets.Add(Draft("south") with { Reporter = new("directline", "u9", "c-south", "p1") });
        await References.SaveAsync(new ConversationReference
        {
            ChannelId = "wechat", User = new ChannelAccount("o1"), Conversation = new ConversationAccount("wx-conv"),
        }, None);
        var web = DirectLine.Create("u1").Id;
        DirectLine.Create("u2");
        Line("directline|c-ticket", 2, "卫生间漏水");
        Line("wechat|wx-conv", 1, "你好");
        Line($"directline|{web}", 3, "报修");
        Line("directline|c-wang", 0, "王的话");
        await States.SaveAsync("wechat", "wx-conv", new JsonObject { ["step"] = 1 }, None);
        await States.SaveAsync("directline", "c-wang", new JsonObject { ["step"] = 2 }, None);
        var (thread, _) = Threads.Create(TeaRecords.Thread(Ct), TeaRecords.Post(TeaRecords.Thread(Ct), "开帖", "p2"));
        Posts.Add(TeaRecords.Post(thread, "林的帖子", "p1", minutes: 5));
        Posts.Add(TeaRecords.Post(thread, "王的帖子", "p2", minutes: 6));
        return web;
    }

    private void Line(string conversation, int minutes, string text) => Transcripts.AppendAsync([new TranscriptEntry
    {
        Conversation = conversation, At = Noon.AddMinutes(minutes), Role = "user", Text = text,
    }]).GetAwaiter().GetResult();

    private HashSet<string> Conversations() => Parts.SelectMany(p => p.ConversationsOf(Lin)).ToHashSet();

    [Fact]
    public async Task ConversationsAreThoseOfTheirTicketsTheirChatIdentitiesAndTheirWebChats()
    {
        var web = await ArrangeAsync();

        string[] expected = ["directline|c-ticket", $"directline|{web}", "wechat|wx-conv"];
        Assert.Equal(expected.Order(), Conversations().Order());
    }

    [Fact]
    public async Task TheCopyHoldsTheirTicketsWhatWasSaidByTimeAndTheirPosts()
    {
        await ArrangeAsync();
        var export = new PersonalDataExport();

        foreach (var part in Parts) part.Export(Lin, Conversations(), export);

        Assert.Equal("漏水", Assert.Single(export.Tickets).Text);
        Assert.Equal(["你好", "卫生间漏水", "报修"], export.Conversations.Select(s => s.Text));
        Assert.Equal(Noon.AddMinutes(1), export.Conversations[0].At);
        Assert.Equal("林的帖子", Assert.Single(export.Posts).Text);
    }

    [Fact]
    public async Task ErasingDeletesTheirConversationsEverywhereAndNobodyElses()
    {
        var web = await ArrangeAsync();
        var conversations = Conversations();

        foreach (var part in Parts) part.EraseConversations(Lin, conversations);

        Assert.All(conversations, c => Assert.Empty(Transcripts.Read(c)));
        Assert.Single(Transcripts.Read("directline|c-wang"));
        Assert.Null(await States.LoadAsync("wechat", "wx-conv", None));
        Assert.NotNull(await States.LoadAsync("directline", "c-wang", None));
        Assert.Null(await References.FindAsync("wechat", "o1", None));
        Assert.Null(DirectLine.Find(web));
        // Tickets stay: the office's record of work done.
        Assert.Equal(2, Tickets.Queue(Ct, new TicketQuery(), 0, 10).Count);
        // What still ties a conversation to them is the ticket alone, whose conversation is gone.
        Assert.Equal(["directline|c-ticket"], Conversations());
    }
}

public sealed class LitePersonalDataTests : PersonalDataContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LitePersonalDataTests()
    {
        var directLine = new LiteDirectLineStore(_db, TimeProvider.System);
        var tea = new LiteTeaThreadStore(_db);
        (Tickets, Transcripts, Threads, Posts, DirectLine) =
            (new LiteTicketStore(_db), new LiteTranscriptStore(_db), tea, tea, directLine);
        States = new LiteConversationStateStore(_db, TimeProvider.System);
        References = new LiteConversationReferenceStore(_db, TimeProvider.System);
        Parts =
        [
            new LiteTicketPersonalData(_db), new LiteTranscriptPersonalData(_db), new LiteTeaPersonalData(_db),
            new LiteConversationPersonalData(_db), new LiteDirectLinePersonalData(_db, directLine),
        ];
    }

    protected override IReadOnlyList<IPersonalData> Parts { get; }
    protected override ITicketStore Tickets { get; }
    protected override ITranscriptStore Transcripts { get; }
    protected override ITeaThreadStore Threads { get; }
    protected override ITeaPostStore Posts { get; }
    protected override IConversationStateStore States { get; }
    protected override IConversationReferenceStore References { get; }
    protected override IDirectLineStore DirectLine { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgPersonalDataTests : PersonalDataContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    private PostgresDatabase Db => _postgres.Db;

    protected override IReadOnlyList<IPersonalData> Parts => field ??=
    [
        new PgTicketPersonalData(Db), new PgTranscriptPersonalData(Db), new PgTeaPersonalData(Db),
        new PgConversationPersonalData(Db), new PgDirectLinePersonalData(Db, DirectLine),
    ];

    protected override ITicketStore Tickets => field ??= new PgTicketStore(Db);
    protected override ITranscriptStore Transcripts => field ??= new PgTranscriptStore(Db);
    protected override ITeaThreadStore Threads => field ??= new PgTeaThreadStore(Db);
    protected override ITeaPostStore Posts => field ??= new PgTeaPostStore(Db);
    protected override IConversationStateStore States => field ??= new PgConversationStateStore(Db, TimeProvider.System);

    protected override IConversationReferenceStore References =>
        field ??= new PgConversationReferenceStore(Db, TimeProvider.System);

    protected override IDirectLineStore DirectLine => field ??= new PgDirectLineStore(Db, TimeProvider.System);

    public void Dispose() => _postgres.Dispose();
}
