using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Linli.Tickets;
using static Linli.Tests.Storage.Contracts.TicketDrafts;

namespace Linli.Tests.Storage.Contracts;

/// <summary>
/// What every <see cref="ITicketStore"/> must count for the open accounts' dashboards. Each implementation runs these
/// by deriving.
/// </summary>
public abstract class TicketFiguresContract
{
    protected abstract ITicketStore Store { get; }

    [Fact]
    public void OpenedSinceCountsTheCommunitysTicketsFromThatInstantOldestFirst()
    {
        Store.Add(Draft(minutes: -1));
        Store.Add(Draft(minutes: 20, kind: "complaint") with { Rating = 4 });
        Store.Add(Draft(minutes: 0) with { ResolveBreachedAt = Noon.AddHours(11) });
        Store.Add(Draft(minutes: 10) with { RespondBreachedAt = Noon.AddHours(1), Status = TicketStatus.Closed });
        Store.Add(Draft("south", minutes: 5));

        var figures = Store.OpenedSince("north", Noon);

        Assert.Equal([Noon, Noon.AddMinutes(10), Noon.AddMinutes(20)], figures.Select(f => f.CreatedAt));
        Assert.Equal([true, true, false], figures.Select(f => f.Breached));
        Assert.Equal([null, null, 4], figures.Select(f => f.Rating));
        Assert.Equal(["repair_request", "repair_request", "complaint"], figures.Select(f => f.Kind));
        Assert.Empty(Store.OpenedSince("east", Noon));
    }

    [Fact]
    public void AnEmergencysLadderIsCountedToTheMillisecond()
    {
        var at = Noon.AddMilliseconds(123);
        var ladder = new EmergencyLadder
        {
            Pages = [new EmergencyPage("north-p1", at)], AcknowledgedAt = at.AddSeconds(50), AcknowledgedBy = "王",
            OnTheWayAt = at.AddMinutes(2).AddMilliseconds(7), OnSiteAt = at.AddMinutes(4),
        };
        Store.Add(Draft(kind: "emergency") with { CreatedAt = at, Ladder = ladder });

        var figure = Assert.Single(Store.OpenedSince("north", Noon));
        Assert.Equal(("emergency", at, false), (figure.Kind, figure.CreatedAt, figure.Breached));
        Assert.NotNull(figure.Ladder);
        Assert.Equal((ladder.AcknowledgedAt, ladder.OnTheWayAt, ladder.OnSiteAt),
            (figure.Ladder.AcknowledgedAt, figure.Ladder.OnTheWayAt, figure.Ladder.OnSiteAt));
    }

    [Fact]
    public void OpenCountsAreByStatusWithThosePastADeadline()
    {
        Store.Add(Draft());
        Store.Add(Draft() with { RespondBreachedAt = Noon.AddMinutes(31) });
        Store.Add(Assigned(Draft(), "repair1", Noon) with { ResolveBreachedAt = Noon.AddHours(11) });
        Store.Add(Draft() with { Status = TicketStatus.WaitingOnResident });
        Store.Add(Draft() with { Status = TicketStatus.Resolved, RespondBreachedAt = Noon.AddMinutes(31) });
        Store.Add(Draft() with { Status = TicketStatus.Closed });
        Store.Add(Draft("south"));

        Assert.Equal(
            [
                new OpenTicketCount(TicketStatus.New, 2, 1),
                new OpenTicketCount(TicketStatus.Assigned, 1, 1),
                new OpenTicketCount(TicketStatus.WaitingOnResident, 1, 0),
            ],
            Store.OpenCounts("north"));
        Assert.Empty(Store.OpenCounts("east"));
    }

    [Fact]
    public void AttachmentsOfTicketsNotClosedAreKeptInEveryCommunity()
    {
        Store.Add(Draft() with { Attachments = ["/files/a"], Status = TicketStatus.Resolved });
        Store.Add(Draft("south") with { Attachments = ["/files/b", "/files/c"] });
        Store.Add(Draft() with { Attachments = ["/files/d"], Status = TicketStatus.Closed });

        Assert.Equal(["/files/a", "/files/b", "/files/c"], Store.AttachmentsOfTicketsNotClosed().Order());
    }
}

public sealed class LiteTicketFiguresTests : TicketFiguresContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteTicketFiguresTests() => Store = new LiteTicketStore(_db);

    protected override ITicketStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgTicketFiguresTests : TicketFiguresContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITicketStore Store => field ??= new PgTicketStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
