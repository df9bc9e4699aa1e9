using Linli.Calendar;
using Linli.Fees;
using Linli.PublicRevenue;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IRevenueStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class RevenueStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero);
    private static readonly Period March = new(2026, 3);
    private static readonly Period April = new(2026, 4);
    private static readonly Period May = new(2026, 5);

    protected abstract IRevenueStore Store { get; }

    private static LedgerLine Draft(string community, Period period, decimal amount,
        LineKind kind = LineKind.Income) => new()
        {
            Id = "", CommunityId = community, Number = 0, Kind = kind,
            Source = kind == LineKind.Income ? RevenueSource.Parking : null,
            Purpose = kind == LineKind.Spending ? SpendingPurpose.Greening : null,
            Counterparty = "泉州停车管理有限公司", Period = period, Amount = amount,
            RecordedAt = Noon, RecordedBy = "客服",
        };

    private LedgerLine Append(string community, Period period, decimal amount, LineKind kind = LineKind.Income) =>
        Store.TryAppend(Draft(community, period, amount, kind)) ?? throw new InvalidOperationException("refused");

    private static MonthClose CloseOf(string community, Period period, decimal income = 0) => new()
    {
        Id = MonthClose.IdFor(community, period), CommunityId = community, Period = period, Opening = 0,
        Income = income, Spending = 0, Closing = income, ClosedAt = Noon, ClosedBy = "客服",
    };

    private static Objection ObjectionTo(LedgerLine line, string text = "金额不对") => new()
    {
        CommunityId = line.CommunityId, Period = line.Period, LineNumber = line.Number, PersonId = "p-1",
        Name = "李四", Text = text, At = Noon,
    };

    [Fact]
    public void LinesAreNumberedFromOnePerCommunityAndFoundInTheirOwnOnly()
    {
        var first = Append("north", March, 100m);
        var second = Append("north", March, 200m);
        var south = Append("south", March, 300m);

        Assert.Equal((1, 2, 1), (first.Number, second.Number, south.Number));
        Assert.Equal((LedgerLine.IdFor("north", 1), "north"), (first.Id, first.CommunityId));
        Assert.Equal(200m, Store.FindLine("north", 2)!.Amount);
        Assert.Null(Store.FindLine("south", 2));
        Assert.Equal(2, Store.LastNumber("north"));
        Assert.Equal(0, Store.LastNumber("east"));
    }

    [Fact]
    public void NumbersHaveNoGapsAndNoDuplicatesWhenLinesArriveTogether()
    {
        _ = Store;   // made (or the test skipped) on this thread, before the parallel ones start
        Parallel.For(0, 40, i => Append("north", i % 2 == 0 ? March : April, i + 1));

        var numbers = Store.Lines("north", March, April).Select(l => l.Number).Order();
        Assert.Equal(Enumerable.Range(1, 40), numbers);
        Assert.Equal(40, Store.LastNumber("north"));
    }

    [Fact]
    public void AClosedMonthTakesNoLineAndTheRefusalTakesNoNumber()
    {
        Append("north", March, 100m);
        Assert.True(Store.TryClose(CloseOf("north", March, 100m), throughNumber: 1));

        Assert.Null(Store.TryAppend(Draft("north", March, 5m)));
        Assert.Equal(1, Store.LastNumber("north"));
        Assert.Equal(2, Append("north", April, 5m).Number);
        // Another community's month of the same name is its own.
        Assert.NotNull(Store.TryAppend(Draft("south", March, 5m)));
    }

    [Fact]
    public void EveryFieldOfALineRoundTripsToTheFenAndTheMillisecond()
    {
        var draft = Draft("north", March, 12_345.67m, LineKind.Spending) with
        {
            Note = "=HYPERLINK(\"x\")",
            Proofs = ["a1", "b2"],
            Reverses = 7,
            RecordedAt = new DateTimeOffset(2026, 3, 31, 23, 59, 59, 999, TimeSpan.Zero),
            RecordedBy = "王五",
        };
        var line = Store.TryAppend(draft)!;

        Assert.Equivalent(draft with { Id = line.Id, Number = line.Number }, Store.FindLine("north", line.Number),
            strict: true);
        Assert.Equal(-12_345.67m, Store.FindLine("north", line.Number)!.Signed);
    }

    [Fact]
    public void LinesOfMonthsComeByNumberAndBalancesCountTheMonthsBefore()
    {
        Append("north", April, 1_000m);
        Append("north", March, 500m);
        Append("north", March, 120.50m, LineKind.Spending);
        Append("north", May, 9m);
        Append("south", March, 77m);

        Assert.Equal([2, 3], Store.Lines("north", March, March).Select(l => l.Number));
        Assert.Equal([1, 2, 3], Store.Lines("north", March, April).Select(l => l.Number));
        Assert.Equal(0m, Store.BalanceBefore("north", March));
        Assert.Equal(379.50m, Store.BalanceBefore("north", April));
        Assert.Equal(1_379.50m, Store.BalanceBefore("north", May));
        Assert.Equal(77m, Store.BalanceBefore("south", May));
    }

    [Fact]
    public void TheFirstOpenMonthBeforeIsTheEarliestWithLinesNotClosed()
    {
        Append("north", March, 1m);
        Append("north", April, 1m);
        Append("south", new Period(2026, 1), 1m);

        Assert.Equal(March, Store.FirstOpenMonthBefore("north", May));
        Assert.True(Store.TryClose(CloseOf("north", March), throughNumber: 2));
        Assert.Equal(April, Store.FirstOpenMonthBefore("north", May));
        Assert.Null(Store.FirstOpenMonthBefore("north", April));
        Assert.Null(Store.FirstOpenMonthBefore("east", May));
    }

    [Fact]
    public void AMonthClosesOnceAndNotOnFiguresALaterLineMadeStale()
    {
        Append("north", March, 100m);
        var close = CloseOf("north", March, 100m);
        Append("north", April, 1m);

        Assert.False(Store.TryClose(close, throughNumber: 1));
        Assert.Null(Store.FindClose("north", March));
        Assert.True(Store.TryClose(close, throughNumber: 2));
        Assert.False(Store.TryClose(close, throughNumber: 2));
        Assert.Equivalent(close, Store.FindClose("north", March), strict: true);
        Assert.Null(Store.FindClose("south", March));
    }

    [Fact]
    public void TheLatestCloseIsTheLatestMonthOfItsCommunity()
    {
        Assert.Null(Store.LatestClose("north"));
        Assert.True(Store.TryClose(CloseOf("north", April), 0));
        Assert.True(Store.TryClose(CloseOf("north", March), 0));
        Assert.True(Store.TryClose(CloseOf("south", May), 0));

        Assert.Equal(April, Store.LatestClose("north")!.Period);
    }

    [Fact]
    public void AnAuditorSignsAMonthOnceAndSignaturesComeInTheOrderMade()
    {
        SignOff Signed(string person, int minutes) => new()
        {
            Id = $"{MonthClose.IdFor("north", March)}/{person}", CommunityId = "north", Period = March,
            PersonId = person, Name = person, Note = "无异议", At = Noon.AddMinutes(minutes),
        };
        Assert.True(Store.TryAddSignOff(Signed("b", 5)));
        Assert.True(Store.TryAddSignOff(Signed("a", 1)));
        Assert.False(Store.TryAddSignOff(Signed("a", 9)));

        var signed = Store.SignOffs("north", March);
        Assert.Equal(["a", "b"], signed.Select(s => s.PersonId));
        Assert.Equivalent(Signed("a", 1), signed[0], strict: true);
        Assert.Empty(Store.SignOffs("north", April));
        Assert.Empty(Store.SignOffs("south", March));
    }

    [Fact]
    public void ObjectionsAreNumberedInOrderAndAnsweredOnce()
    {
        var line = Append("north", March, 100m);
        var first = Store.AddObjection(ObjectionTo(line));
        var second = Store.AddObjection(ObjectionTo(line, "凭证缺失"));

        Assert.True(second.Id > first.Id);
        Assert.Equivalent(first, Store.FindObjection("north", first.Id), strict: true);
        Assert.Null(Store.FindObjection("south", first.Id));
        Assert.Equal([first.Id, second.Id], Store.Objections("north", March).Select(o => o.Id));
        Assert.Empty(Store.Objections("north", April));

        var answered = first with { Answer = "已补凭证", AnsweredBy = "客服", AnsweredAt = Noon.AddHours(1) };
        Assert.True(Store.TryAnswer(answered));
        Assert.False(Store.TryAnswer(first with { Answer = "再答一次", AnsweredBy = "经理", AnsweredAt = Noon }));
        Assert.Equivalent(answered, Store.FindObjection("north", first.Id), strict: true);
        Assert.False(Store.TryAnswer(second with { CommunityId = "south", Answer = "别处" }));
        Assert.Null(Store.FindObjection("north", second.Id)!.Answer);
    }

    [Fact]
    public void AuditorsAreKeptPerCommunityAndAppointedOnce()
    {
        Auditor Appointed(string community, string person, int minutes) => new()
        {
            Id = Auditor.KeyFor(community, person), CommunityId = community, PersonId = person, Name = "张三",
            AppointedBy = "committee1", At = Noon.AddMinutes(minutes),
        };
        Store.SaveAuditor(Appointed("north", "p-2", 5));
        Store.SaveAuditor(Appointed("north", "p-1", 1));
        Store.SaveAuditor(Appointed("north", "p-2", 9));
        Store.SaveAuditor(Appointed("south", "p-3", 1));

        Assert.True(Store.IsAuditor("north", "p-1"));
        Assert.False(Store.IsAuditor("south", "p-1"));
        Assert.Equal(["p-1", "p-2"], Store.Auditors("north").Select(a => a.PersonId));
        Assert.Equivalent(Appointed("north", "p-2", 9), Store.Auditors("north")[1], strict: true);
    }
}

public sealed class LiteRevenueStoreTests : RevenueStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteRevenueStoreTests() => Store = new LiteRevenueStore(_db);

    protected override IRevenueStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgRevenueStoreTests : RevenueStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IRevenueStore Store => field ??= new PgRevenueStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
