using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Linli.Tickets;
using static Linli.Tests.Storage.Contracts.TicketDrafts;

namespace Linli.Tests.Storage.Contracts;

/// <summary>
/// What every <see cref="ITicketStore"/> must answer: the queue, the changes, a resident's tickets, and what the
/// timers look for. Each implementation runs these by deriving.
/// </summary>
public abstract class TicketQueryContract
{
    protected abstract ITicketStore Store { get; }

    [Fact]
    public void TheQueueNarrowsToWhatIsAsked()
    {
        var repair = Store.Add(Draft() with { UnitId = "north-3-0502" });
        var urgent = Store.Add(Draft(kind: "hazard_report") with { Urgency = "urgent", Location = "3栋楼道" });
        var assigned = Store.Add(Assigned(Draft() with { Location = "13栋大堂" }, "repair1", Noon));
        var closed = Store.Add(Draft() with { Status = TicketStatus.Closed, UnitId = "north-5-0101" });
        Store.Add(Draft("south") with { UnitId = "north-3-0502" });

        string[] Numbers(TicketQuery query) => [.. Store.Queue("north", query, 0, 100).Select(t => t.Number).Order()];
        Assert.Equal([urgent.Number], Numbers(new TicketQuery(Kind: "hazard_report")));
        Assert.Equal([closed.Number], Numbers(new TicketQuery(Status: TicketStatus.Closed)));
        Assert.Equal([urgent.Number], Numbers(new TicketQuery(Urgency: "urgent")));
        Assert.Equal([assigned.Number], Numbers(new TicketQuery(AssigneeId: "repair1")));
        Assert.Equal([repair.Number, urgent.Number, assigned.Number], Numbers(new TicketQuery(OpenOnly: true)));
        // Building 3: its flats, or a place said to be there ("13栋" is not "3栋").
        var building3 = new TicketPlace(["north-3-0502", "north-3-0501"], "3栋");
        Assert.Equal([repair.Number, urgent.Number], Numbers(new TicketQuery(Place: building3)));
        Assert.Equal([repair.Number], Numbers(new TicketQuery(Kind: "repair_request", Place: building3)));
        Assert.Empty(Numbers(new TicketQuery(Place: new TicketPlace([], "9栋"))));
        Assert.Equal([closed.Number], Numbers(new TicketQuery(Place: new TicketPlace(["north-5-0101"], "5栋"))));
    }

    [Fact]
    public void TheQueueIsOpenFirstThenUrgentThenByRespondByAPageAtATime()
    {
        var late = Store.Add(Draft(minutes: 20));
        var early = Store.Add(Draft(minutes: 10));
        var urgent = Store.Add(Draft(minutes: 30) with { Urgency = "urgent" });
        var closed = Store.Add(Draft(minutes: 0) with { Status = TicketStatus.Closed, Urgency = "urgent" });
        var resolved = Store.Add(Draft(minutes: -10) with { Status = TicketStatus.Resolved });

        var all = Store.Queue("north", new TicketQuery(), 0, 100).Select(t => t.Number);
        Assert.Equal([urgent.Number, early.Number, late.Number, closed.Number, resolved.Number], all);
        var page = Store.Queue("north", new TicketQuery(), 1, 2).Select(t => t.Number);
        Assert.Equal([early.Number, late.Number], page);
    }

    [Fact]
    public void ChangesAreThoseAfterTheInstantOldestFirst()
    {
        var second = Store.Add(Draft(minutes: 2));
        var first = Store.Add(Draft(minutes: 1));
        Store.Add(Draft(minutes: 0));
        Store.Add(Draft("south", minutes: 3));

        Assert.Equal([first.Number, second.Number],
            Store.ChangedSince("north", Noon).Select(t => t.Number));
        Assert.Empty(Store.ChangedSince("north", Noon.AddMinutes(2)));
    }

    [Fact]
    public void AResidentsOpenTicketsAreTheirOwnAndTheirFlatsNewestFirst()
    {
        var mine = Store.Add(Draft(minutes: 1));
        var neighbour = new TicketReporter("directline", "u2", "c2", null);
        var flat = Store.Add(Draft(minutes: 2) with { Reporter = neighbour, UnitId = "north-3-0502" });
        Store.Add(Draft(minutes: 3) with { Status = TicketStatus.Resolved });
        Store.Add(Draft(minutes: 4) with { Reporter = new("wechat", "u1", "c3", null) });
        Store.Add(Draft(minutes: 5) with { Reporter = new("directline", "u3", "c4", null), UnitId = "north-3-0501" });

        Assert.Equal([flat.Number, mine.Number],
            Store.OpenOf("directline", "u1", "north-3-0502").Select(t => t.Number));
        Assert.Equal([mine.Number], Store.OpenOf("directline", "u1", null).Select(t => t.Number));
    }

    [Fact]
    public void TheLatestEmergencyIsTheResidentsNewestNotYetStartedSinceTheInstant()
    {
        Store.Add(Draft(minutes: -40, kind: "emergency"));
        Store.Add(Draft(minutes: 1, kind: "emergency"));
        var newest = Store.Add(Draft(minutes: 2, kind: "emergency") with { Status = TicketStatus.Assigned });
        Store.Add(Draft(minutes: 3, kind: "emergency") with { Status = TicketStatus.InProgress });
        Store.Add(Draft(minutes: 4, kind: "repair_request"));
        Store.Add(Draft(minutes: 5, kind: "emergency") with { Reporter = new("directline", "u2", "c2", null) });

        Assert.Equal(newest.Number, Store.LatestEmergency("directline", "u1", Noon.AddMinutes(-30))?.Number);
        Assert.Equal(newest.Number, Store.LatestEmergency("directline", "u1", Noon.AddMinutes(2))?.Number);
        Assert.Null(Store.LatestEmergency("directline", "u1", Noon.AddMinutes(3)));
        Assert.Null(Store.LatestEmergency("wechat", "u1", Noon.AddMinutes(-60)));
    }

    [Fact]
    public void UnacknowledgedEmergenciesAreNewAndNotAcknowledged()
    {
        var paged = new EmergencyLadder { Pages = [new EmergencyPage("p1", Noon)] };
        var waiting = Store.Add(Draft(kind: "emergency") with { Ladder = paged });
        var south = Store.Add(Draft("south", kind: "emergency") with { Ladder = paged });
        var acknowledged = paged with { AcknowledgedAt = Noon, AcknowledgedBy = "p1" };
        Store.Add(Draft(kind: "emergency") with { Ladder = acknowledged });
        Store.Add(Draft(kind: "emergency") with { Ladder = paged, Status = TicketStatus.Closed });
        Store.Add(Draft(kind: "repair_request"));

        Assert.Equal(new[] { waiting.Number, south.Number }.Order(),
            Store.UnacknowledgedEmergencies().Select(t => t.Number).Order());
    }

    [Fact]
    public void OverdueTicketsHaveARunningClockPastATargetNotYetMarked()
    {
        var now = Noon.AddMinutes(60);
        // Respond-by 30 minutes after opening, resolve-by 600.
        var unanswered = Store.Add(Draft());
        var reopened = Store.Add(Draft() with { Status = TicketStatus.Reopened });
        var pastResolve = Store.Add(Draft(minutes: -700) with { Status = TicketStatus.InProgress });
        Store.Add(Draft() with { Status = TicketStatus.InProgress });
        Store.Add(Draft() with { RespondBreachedAt = Noon.AddMinutes(31) });
        Store.Add(Draft() with { Status = TicketStatus.WaitingOnResident });
        Store.Add(Draft(minutes: -700) with { Status = TicketStatus.Resolved });
        Store.Add(Draft(minutes: -700) with { RespondBreachedAt = Noon, ResolveBreachedAt = Noon });
        var southLate = Store.Add(Draft("south", minutes: -700) with { Status = TicketStatus.Assigned });

        Assert.Equal(new[] { unanswered, reopened, pastResolve, southLate }.Select(t => t.Number).Order(),
            Store.Overdue(now).Select(t => t.Number).Order());
    }

    [Fact]
    public void NotStartedAreAssignedTicketsWhoseAssignmentIsTheLastEventAndOldEnough()
    {
        var cutoff = Noon.AddMinutes(30);
        var stale = Store.Add(Assigned(Draft(), "repair1", Noon.AddMinutes(10)));
        var onTheCutoff = Store.Add(Assigned(Draft(), "repair1", cutoff));
        Store.Add(Assigned(Draft(), "repair1", Noon.AddMinutes(40)));
        Store.Add(Assigned(Draft(kind: "emergency"), "repair1", Noon));
        // Assigned, but not by its last event: not what the timer looks for.
        Store.Add(Draft() with { Status = TicketStatus.Assigned, AssigneeId = "repair1" });
        var started = Assigned(Draft(), "repair1", Noon);
        Store.Add(started with
        {
            Status = TicketStatus.InProgress,
            History = [.. started.History, new TicketEvent(Noon.AddMinutes(5), TicketStatus.InProgress, "王", null)],
        });

        Assert.Equal(new[] { stale, onTheCutoff }.Select(t => t.Number).Order(),
            Store.NotStartedSince(cutoff).Select(t => t.Number).Order());
    }
}

public sealed class LiteTicketQueryTests : TicketQueryContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteTicketQueryTests() => Store = new LiteTicketStore(_db);

    protected override ITicketStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgTicketQueryTests : TicketQueryContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override ITicketStore Store => field ??= new PgTicketStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
