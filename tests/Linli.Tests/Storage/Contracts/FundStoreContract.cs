using Linli.MaintenanceFund;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Linli.TeaTable;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IFundStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class FundStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero);

    protected abstract IFundStore Store { get; }

    private static FundEntry Draft(string community, decimal amount, string? application = null) => new()
    {
        Id = "", CommunityId = community, Number = 0,
        Kind = amount > 0 ? FundEntryKind.Contribution : FundEntryKind.Withdrawal, Amount = amount,
        Date = new DateOnly(2026, 11, 2), Application = application, RecordedBy = "客服", RecordedAt = Noon,
    };

    private static FundApplication Application(string community, int year, int sequence, int minutes = 0) => new()
    {
        Id = FundApplication.IdFor(community, FundApplication.NumberFor(year, sequence)),
        Number = FundApplication.NumberFor(year, sequence), CommunityId = community,
        Title = "2栋电梯更换钢丝绳", Description = "电梯钢丝绳磨损。",
        Buildings = [2], Estimate = 5_000m, Matter = Matter.UseFund, Thread = 41,
        By = "经理", At = Noon.AddMinutes(minutes),
    };

    [Fact]
    public void EntriesAreNumberedFromOnePerCommunity()
    {
        var first = Store.Append(Draft("north", 100m));
        var second = Store.Append(Draft("north", 200m));
        var south = Store.Append(Draft("south", 300m));

        Assert.Equal((1, 2, 1), (first.Number, second.Number, south.Number));
        Assert.Equal(FundEntry.IdFor("north", 2), second.Id);
        Assert.Equal((2, 1, 0), (Store.LastNumber("north"), Store.LastNumber("south"), Store.LastNumber("east")));
        Assert.Equal([100m, 200m], Store.Entries("north").Select(e => e.Amount));
    }

    [Fact]
    public void NumbersHaveNoGapsAndNoDuplicatesWhenEntriesArriveTogether()
    {
        _ = Store;   // made (or the test skipped) on this thread, before the parallel ones start
        Parallel.For(0, 40, i => Store.Append(Draft("north", i + 1)));

        Assert.Equal(Enumerable.Range(1, 40), Store.Entries("north").Select(e => e.Number));
    }

    [Fact]
    public void AnEntryCheckedAgainstALaterOneIsRefusedAndTakesNoNumber()
    {
        Store.Append(Draft("north", 1_000m));
        var checkedAt = Store.LastNumber("north");
        Store.Append(Draft("north", 50m));

        Assert.Null(Store.TryAppend(Draft("north", -900m, "WX-2026-01"), checkedAt));
        Assert.Equal(2, Store.LastNumber("north"));
        var paid = Store.TryAppend(Draft("north", -900m, "WX-2026-01"), Store.LastNumber("north"));
        Assert.Equal(3, paid?.Number);
    }

    [Fact]
    public void EveryFieldOfAnEntryRoundTripsToTheFenAndTheMillisecond()
    {
        var vote = new Tally(new Count(1_234.56m, 30), new Count(1_000.01m, 24), new Count(900.5m, 20),
            new Count(99.51m, 3), new Count(0m, 1), Quorum: true, Outcome.Passed, Special: false);
        var draft = Draft("north", -1_234.56m, "WX-2026-01") with
        {
            Kind = FundEntryKind.EmergencyWithdrawal,
            UnitId = "north-3-0502",
            Buildings = [2, 3],
            Note = "泉州电梯工程公司：首付款",
            VoteThread = 41,
            Vote = vote,
            RecordedAt = new DateTimeOffset(2026, 3, 31, 23, 59, 59, 999, TimeSpan.Zero),
        };
        var entry = Store.Append(draft);

        Assert.Equivalent(draft with { Id = entry.Id, Number = entry.Number }, Store.Entries("north").Single(),
            strict: true);
    }

    [Fact]
    public void LatestEntriesAreNewestFirstAndTotalsAreAnApplicationsOwn()
    {
        Store.Append(Draft("north", 10_000m));
        Store.Append(Draft("north", -1_500m, "WX-2026-01"));
        Store.Append(Draft("north", -250.25m, "WX-2026-01"));
        Store.Append(Draft("north", -99m, "WX-2026-02"));
        Store.Append(Draft("south", -1m, "WX-2026-01"));

        Assert.Equal([4, 3], Store.Latest("north", 2).Select(e => e.Number));
        Assert.Equal(-1_750.25m, Store.TotalFor("north", "WX-2026-01"));
        Assert.Equal(0m, Store.TotalFor("north", "WX-2026-09"));
    }

    [Fact]
    public void ApplicationsTakeTheYearsNextNumberOnly()
    {
        Assert.Equal(0, Store.LastApplicationSequence("north", 2026));
        Assert.False(Store.TryAddApplication(Application("north", 2026, 2), 2026, 2));
        Assert.True(Store.TryAddApplication(Application("north", 2026, 1), 2026, 1));
        Assert.False(Store.TryAddApplication(Application("north", 2026, 1), 2026, 1));
        Assert.True(Store.TryAddApplication(Application("north", 2026, 2), 2026, 2));
        Assert.True(Store.TryAddApplication(Application("north", 2027, 1), 2027, 1));
        Assert.True(Store.TryAddApplication(Application("south", 2026, 1), 2026, 1));

        Assert.Equal((2, 1, 1), (Store.LastApplicationSequence("north", 2026),
            Store.LastApplicationSequence("north", 2027), Store.LastApplicationSequence("south", 2026)));
    }

    [Fact]
    public void ApplicantsRacingForANumberGetEachOnceWithoutGaps()
    {
        _ = Store;   // made (or the test skipped) on this thread, before the parallel ones start
        Parallel.For(0, 20, _ =>
        {
            for (var added = false; !added;)
            {
                var next = Store.LastApplicationSequence("north", 2026) + 1;
                added = Store.TryAddApplication(Application("north", 2026, next), 2026, next);
            }
        });

        Assert.Equal(Enumerable.Range(1, 20).Select(n => FundApplication.NumberFor(2026, n)),
            Store.Applications("north").Select(a => a.Number).Order());
    }

    [Fact]
    public void ApplicationsRoundTripAndListNewestFirstInTheirCommunity()
    {
        var first = Application("north", 2026, 1, minutes: 0) with
        {
            Quotes = [new Quote("泉州电梯工程公司", 5_000m, "proof-1"), new Quote("闽南机电", 7_000.5m)],
            Emergency = true,
            EmergencyReason = "电梯停运，困人风险",
            Matter = Matter.RaiseFund,
        };
        Store.TryAddApplication(first, 2026, 1);
        Store.TryAddApplication(Application("north", 2026, 2, minutes: 5), 2026, 2);

        Assert.Equivalent(first, Store.FindApplication("north", first.Number), strict: true);
        Assert.Null(Store.FindApplication("south", first.Number));
        Assert.Equal(["WX-2026-02", "WX-2026-01"], Store.Applications("north").Select(a => a.Number));
        Assert.Empty(Store.Applications("south"));
    }

    [Fact]
    public void AnEmergencyIsConfirmedOnce()
    {
        Store.TryAddApplication(Application("north", 2026, 1), 2026, 1);
        var at = Noon.AddDays(1);

        var confirmed = Store.TryConfirm("north", "WX-2026-01", "committee1", at);
        Assert.Equal(("committee1", at), (confirmed?.ConfirmedBy, confirmed?.ConfirmedAt));
        Assert.Null(Store.TryConfirm("north", "WX-2026-01", "committee2", at.AddHours(1)));
        Assert.Null(Store.TryConfirm("south", "WX-2026-01", "committee2", at));
        Assert.Equal("committee1", Store.FindApplication("north", "WX-2026-01")!.ConfirmedBy);
    }
}

public sealed class LiteFundStoreTests : FundStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteFundStoreTests() => Store = new LiteFundStore(_db);

    protected override IFundStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgFundStoreTests : FundStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IFundStore Store => field ??= new PgFundStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
