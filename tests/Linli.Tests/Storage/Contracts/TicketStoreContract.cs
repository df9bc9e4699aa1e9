using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Linli.Tickets;
using static Linli.Tests.Storage.Contracts.TicketDrafts;

namespace Linli.Tests.Storage.Contracts;

/// <summary>
/// What every <see cref="ITicketStore"/> must do with tickets: open and number them once, find them, write them only
/// over the revision read. Each implementation runs these by deriving.
/// </summary>
public abstract class TicketStoreContract
{
    protected abstract ITicketStore Store { get; }

    [Fact]
    public void TicketsAreNumberedFromOneForEachPrefix()
    {
        var first = Store.Add(Draft());
        var second = Store.Add(Draft());
        var complaint = Store.Add(Draft(kind: "complaint"), "TS-20261102-");
        var nextDay = Store.Add(Draft(), "BX-20261103-");

        Assert.Equal(["BX-20261102-0001", "BX-20261102-0002", "TS-20261102-0001", "BX-20261103-0001"],
            new[] { first, second, complaint, nextDay }.Select(t => t.Number));
    }

    [Fact]
    public void TheSameMessageOpensOneTicket()
    {
        var draft = Draft() with { Text = "电梯坏了" };
        var first = Store.Open(draft, Prefix);
        var again = Store.Open(Draft() with { SourceKey = draft.SourceKey, Text = "重发的" }, Prefix);

        Assert.True(first.Opened);
        Assert.False(again.Opened);
        Assert.Equal((first.Ticket.Id, first.Ticket.Number), (again.Ticket.Id, again.Ticket.Number));
        Assert.Equal("电梯坏了", again.Ticket.Text);
        Assert.Single(Store.Queue("north", new TicketQuery(), 0, 100));
    }

    [Fact]
    public async Task NumbersOpenedAtOnceHaveNoGapsAndNoDuplicates()
    {
        _ = Store;   // made (or the test skipped) on this thread, before the parallel ones start
        var opened = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => Store.Add(Draft()))));
        Assert.Equal(Enumerable.Range(1, 24).Select(n => $"{Prefix}{n:D4}"), opened.Select(t => t.Number).Order());

        var retried = Draft();
        var openings = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.Open(retried, Prefix))));
        Assert.Single(openings, o => o.Opened);
        Assert.Single(openings.Select(o => o.Ticket.Number).Distinct());
        Assert.Equal(25, Store.Queue("north", new TicketQuery(), 0, 100).Count);
    }

    [Fact]
    public void ATicketIsFoundInItsCommunityOrByItsNumberAlone()
    {
        var ticket = Store.Add(Draft("north"));

        Assert.Equal(ticket.Id, Store.Find("north", ticket.Number)?.Id);
        Assert.Null(Store.Find("south", ticket.Number));
        Assert.Equal(ticket.Id, Store.FindByNumber(ticket.Number)?.Id);
        Assert.Null(Store.FindByNumber(Prefix + "9999"));
        Assert.Empty(Store.Queue("south", new TicketQuery(), 0, 100));
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var at = new DateTimeOffset(2026, 11, 2, 4, 5, 6, 789, TimeSpan.Zero);
        var draft = Draft() with
        {
            Kind = "emergency",
            Category = "fire",
            UnitId = "north-3-0502",
            Location = "3栋502",
            Text = "着火了",
            Attachments = ["/files/a.png", "/files/b.png"],
            Urgency = "urgent",
            Answers = new() { ["description"] = "着火了", ["anonymous"] = "yes" },
            Reporter = new TicketReporter("wechat", "o-123", "conv-9", "north-p0007"),
            CreatedAt = at,
            RespondBy = at.AddMinutes(1),
            ResolveBy = at.AddHours(1),
            Status = TicketStatus.InProgress,
            Version = 7,
            UpdatedAt = at.AddSeconds(1),
            RespondBreachedAt = at.AddMinutes(2),
            ResolveBreachedAt = at.AddHours(2),
            PausedAt = at.AddMinutes(3),
            AssigneeId = "north-p0002",
            Rating = 4,
            RatingComment = "快",
            Ladder = new EmergencyLadder
            {
                Pages = [new EmergencyPage("north-p0001", at), new EmergencyPage("north-p0002", at.AddSeconds(61))],
                AcknowledgedAt = at.AddSeconds(70), AcknowledgedBy = "north-p0002",
                OnTheWayAt = at.AddMinutes(2), OnSiteAt = at.AddMinutes(4),
            },
            History =
            [
                new(at, TicketStatus.New, "resident", null),
                new(at.AddMinutes(1), TicketStatus.InProgress, "王", "到了"),
            ],
            Messages = [new TicketMessage(at.AddMinutes(5), "resident", "谢谢")],
            Notes = [new TicketNote(at.AddMinutes(6), "王", "灭火器已换")],
        };
        var opened = Store.Add(draft, "JJ-20261102-");

        var expected = draft with { Number = "JJ-20261102-0001", Revision = 0 };
        Assert.Equivalent(expected, opened, strict: true);
        Assert.Equivalent(expected, Store.FindByNumber(opened.Number), strict: true);
    }

    [Fact]
    public void AWriteLandsOnlyOverTheRevisionItWasReadAt()
    {
        var read = Store.Add(Draft());

        var saved = Store.TryReplace(read with { Location = "东门" });
        Assert.NotNull(saved);
        Assert.Equal(read.Revision + 1, saved.Revision);
        // A second write from the same read: another came first.
        Assert.Null(Store.TryReplace(read with { Location = "西门" }));
        var stored = Store.FindByNumber(read.Number)!;
        Assert.Equal(("东门", saved.Revision), (stored.Location, stored.Revision));
        // Read again, write again.
        Assert.Equal("西门",
            Store.TryReplace(Store.FindByNumber(read.Number)! with { Location = "西门" })?.Location);
    }

    [Fact]
    public async Task OfTwoWritesFromOneReadExactlyOneLands()
    {
        var number = Store.Add(Draft()).Number;
        for (var round = 0; round < 20; round++)
        {
            var read = Store.FindByNumber(number)!;
            using var start = new Barrier(2);
            var writes = await Task.WhenAll(new[] { "repair1", "repair2" }.Select(person => Task.Run(() =>
            {
                start.SignalAndWait();
                return Store.TryReplace(Assigned(read, person, Noon));
            })));

            var winner = Assert.Single(writes, w => w is not null)!;
            Assert.Equal(winner.AssigneeId, Store.FindByNumber(number)!.AssigneeId);
            Assert.Equal(read.Revision + 1, Store.FindByNumber(number)!.Revision);
        }
    }
}

public sealed class LiteTicketStoreTests : TicketStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteTicketStoreTests() => Store = new LiteTicketStore(_db);

    protected override ITicketStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgTicketStoreTests : TicketStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITicketStore Store => field ??= new PgTicketStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
