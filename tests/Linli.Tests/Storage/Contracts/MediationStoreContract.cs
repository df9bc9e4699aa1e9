using Linli.Accounts;
using Linli.Mediation;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IMediationStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class MediationStoreContract
{
    /// <summary>Half past midnight on New Year's Day in China: still 2026 in UTC, 2027 by the case's number.</summary>
    private static readonly DateTimeOffset NewYear = new(2026, 12, 31, 16, 30, 0, 123, TimeSpan.Zero);
    private static readonly DateTimeOffset Autumn = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    protected abstract IMediationStore Store { get; }

    /// <summary>The audit entries the store wrote with its writes, for <paramref name="target"/>.</summary>
    protected abstract IReadOnlyList<AuditEntry> AuditOf(string target);

    private static MediationCase Draft(string community, DateTimeOffset at, string? ticket = null,
        string applicant = "p-1") => new()
        {
            Id = "", Number = "", CommunityId = community, Subject = "楼上噪音", Kind = DisputeKind.Noise,
            Source = ticket is null ? CaseSource.Web : CaseSource.Complaint, TicketNumber = ticket,
            Parties =
        [
            new Party { PersonId = applicant, Name = "李四", Flat = "3栋502", Role = PartyRole.Applicant },
            new Party { Flat = "3栋602", Role = PartyRole.Respondent, Phone = "13800138000" },
        ],
            OpenedAt = at, OpenedBy = applicant, UpdatedAt = at,
        };

    private static AuditEntry Audit(string action, string target = "") => new()
    {
        Id = Ids.New(), At = Autumn, CommunityId = "north", PersonId = "p-1", Name = "李四", Action = action,
        Target = target, Detail = "detail",
    };

    private MediationCase Open(MediationCase draft) =>
        Store.Open(draft, Audit("mediation.open")) ?? throw new InvalidOperationException("refused");

    [Fact]
    public void CasesAreNumberedPerCommunityAndChinaYearWithTheirAuditEntry()
    {
        var numbers = new[]
        {
            Open(Draft("north", Autumn)), Open(Draft("north", Autumn.AddHours(1))), Open(Draft("south", Autumn)),
            Open(Draft("north", NewYear)),
        }.Select(c => c.Number);

        Assert.Equal(["TJ-2026-0001", "TJ-2026-0002", "TJ-2026-0001", "TJ-2027-0001"], numbers);
        Assert.Equal(MediationCase.IdFor("north", "TJ-2026-0002"), Store.Find("north", "TJ-2026-0002")!.Id);
        Assert.Equal("mediation.open", Assert.Single(AuditOf("TJ-2027-0001")).Action);
    }

    [Fact]
    public void NumbersHaveNoGapsAndNoDuplicatesWhenCasesOpenTogether()
    {
        _ = Store;   // made (or the test skipped) on this thread, before the parallel ones start
        Parallel.For(0, 20, i => Open(Draft("north", Autumn.AddMinutes(i))));

        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"TJ-2026-{n:D4}"),
            Store.List("north").Select(c => c.Number).Order());
    }

    [Fact]
    public void AComplaintTicketHasOneCaseAndARefusalTakesNoNumber()
    {
        Open(Draft("north", Autumn, ticket: "TS-20261120-0001"));

        Assert.Null(Store.Open(Draft("north", Autumn, ticket: "TS-20261120-0001"), Audit("mediation.open")));
        Assert.Equal("TJ-2026-0002", Open(Draft("north", Autumn, ticket: "TS-20261120-0002")).Number);
        Assert.Equal("TJ-2026-0001", Open(Draft("south", Autumn, ticket: "TS-20261120-0001")).Number);
        Assert.Empty(AuditOf("TJ-2026-0003"));
    }

    [Fact]
    public void EveryFieldRoundTripsToTheMillisecond()
    {
        var opened = Open(
            Draft("north", Autumn, ticket: "TS-20261120-0001") with { Text = "每晚十一点后有噪音。" });
        var at = new DateTimeOffset(2026, 11, 21, 1, 2, 3, 456, TimeSpan.Zero);
        var full = opened with
        {
            MediatorId = "p-9",
            Agreement = "晚十点后不再装修。",
            Version = opened.Version + 1,
            UpdatedAt = at,
            Sessions = [new Session(at, "社区调解室", ["李四", "王五"], "双方同意。", "p-9")],
            Decision = new Decision(CaseOutcome.Referred, at, "p-9", "丰泽区人民法院", "未达成一致"),
            FollowUp = new FollowUp(new DateOnly(2026, 12, 20), at, "协议已履行"),
        };
        Assert.True(Store.TryUpdate(full, opened.Version, Audit("mediation.outcome", opened.Number)));

        Assert.Equivalent(full, Store.Find("north", opened.Number), strict: true);
    }

    [Fact]
    public void AChangeFromAnOlderVersionIsRefusedWithoutItsAuditEntry()
    {
        var opened = Open(Draft("north", Autumn));
        var assigned = opened with { MediatorId = "p-9", Version = opened.Version + 1 };
        Assert.True(Store.TryUpdate(assigned, opened.Version, Audit("mediation.mediator", opened.Number)));

        var stale = opened with { Agreement = "旧版本上的协议", Version = opened.Version + 1 };
        Assert.False(Store.TryUpdate(stale, opened.Version, Audit("mediation.agreement", opened.Number)));
        var found = Store.Find("north", opened.Number)!;
        Assert.Equal(("p-9", null, 2), (found.MediatorId, found.Agreement, found.Version));
        Assert.Equal(["mediation.mediator", "mediation.open"], AuditOf(opened.Number).Select(e => e.Action).Order());
    }

    [Fact]
    public void CasesAreFoundInTheirCommunityOnlyNewestFirst()
    {
        var older = Open(Draft("north", Autumn));
        var newer = Open(Draft("north", Autumn.AddDays(2)));
        Open(Draft("south", Autumn.AddDays(1)));

        Assert.Null(Store.Find("south", newer.Number));
        Assert.Equal([newer.Number, older.Number], Store.List("north").Select(c => c.Number));
        var moved = older with { CommunityId = "south", Version = older.Version + 1 };
        Assert.False(Store.TryUpdate(moved, older.Version, Audit("mediation.mediator", older.Number)));
    }

    [Fact]
    public void APersonsCasesAreThoseTheyAreAPartyToInTheirCommunity()
    {
        var mine = Open(Draft("north", Autumn, applicant: "p-1"));
        var later = Open(Draft("north", Autumn.AddDays(1), applicant: "p-1"));
        Open(Draft("north", Autumn, applicant: "p-2"));
        Open(Draft("south", Autumn, applicant: "p-1"));

        Assert.Equal([later.Number, mine.Number], Store.ForPerson("north", "p-1").Select(c => c.Number));
        Assert.Empty(Store.ForPerson("north", "p-3"));
    }
}

public sealed class LiteMediationStoreTests : MediationStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteMediationStoreTests() => Store = new LiteMediationStore(_db);

    protected override IMediationStore Store { get; }

    protected override IReadOnlyList<AuditEntry> AuditOf(string target) =>
        _db.AuditLog.Find(e => e.Target == target).ToList();

    public void Dispose() => _db.Dispose();
}

public sealed class PgMediationStoreTests : MediationStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IMediationStore Store => field ??= new PgMediationStore(_postgres.Db);

    protected override IReadOnlyList<AuditEntry> AuditOf(string target) => PgAudit.Of(_postgres, target);

    public void Dispose() => _postgres.Dispose();
}
