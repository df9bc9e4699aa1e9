using Linli.Accounts;
using Linli.Projects;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IProjectStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class ProjectStoreContract
{
    /// <summary>Half past midnight on New Year's Day in China: 2026 in UTC, 2027 by the project's number.</summary>
    private static readonly DateTimeOffset NewYear = new(2026, 12, 31, 16, 30, 0, 123, TimeSpan.Zero);
    private static readonly DateTimeOffset Summer = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    protected abstract IProjectStore Store { get; }

    /// <summary>The audit entries the store wrote with its writes, for <paramref name="target"/>.</summary>
    protected abstract IReadOnlyList<AuditEntry> AuditOf(string target);

    private static Project Draft(string community, DateTimeOffset at, string title = "3栋消防主管补水") => new()
    {
        Id = "", CommunityId = community, Number = "", Title = title, Budget = 86_000m, CreatedById = "p-1",
        CreatedBy = "经理", CreatedAt = at, UpdatedAt = at,
    };

    private static AuditEntry Audit(string action, string target = "") => new()
    {
        Id = Ids.New(), At = Summer, CommunityId = "north", PersonId = "p-1", Name = "经理", Action = action,
        Target = target, Detail = "detail",
    };

    [Fact]
    public void ProjectsAreNumberedPerCommunityAndChinaYearWithTheirAuditEntry()
    {
        var first = Store.Create(Draft("north", Summer), Audit("project.create"));
        var second = Store.Create(Draft("north", Summer.AddDays(1)), Audit("project.create"));
        var south = Store.Create(Draft("south", Summer), Audit("project.create"));
        var nextYear = Store.Create(Draft("north", NewYear), Audit("project.create"));

        Assert.Equal(["XM-2026-01", "XM-2026-02", "XM-2026-01", "XM-2027-01"],
            new[] { first, second, south, nextYear }.Select(p => p.Number));
        Assert.Equal(Project.IdFor("north", "XM-2026-02"), second.Id);
        Assert.Equal("project.create", Assert.Single(AuditOf("XM-2027-01")).Action);
        Assert.Equal(2, AuditOf("XM-2026-01").Count);
    }

    [Fact]
    public void NumbersHaveNoGapsAndNoDuplicatesWhenProjectsAreCreatedTogether()
    {
        _ = Store;   // made (or the test skipped) on this thread, before the parallel ones start
        Parallel.For(0, 20, i => Store.Create(Draft("north", Summer.AddMinutes(i)), Audit("project.create")));

        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"XM-2026-{n:00}"),
            Store.List("north").Select(p => p.Number).Order());
    }

    [Fact]
    public void EveryFieldRoundTripsToTheFenAndTheMillisecond()
    {
        var at = new DateTimeOffset(2026, 6, 1, 2, 0, 0, 999, TimeSpan.Zero);
        var created = Store.Create(Draft("north", Summer) with { Description = "干管补水并更换阀门" },
            Audit("project.create"));
        var full = created with
        {
            Status = ProjectStatus.Accepted,
            UpdatedAt = at,
            Version = 1,
            History =
                [new StatusChange { From = ProjectStatus.Planned, To = ProjectStatus.Funding, At = at, By = "经理" }],
            Lines =
            [
                new MoneyLine
                {
                    Id = "R1", Kind = MoneyLineKind.Receipt, Source = FundingSource.Charity,
                    Party = "泉州市慈善总会",
                    Amount = 9_999.99m, Date = new DateOnly(2026, 5, 31), Reference = "BANK-003", UploadIds = ["u1"],
                    RecordedAt = at, RecordedBy = "经理",
                },
                new MoneyLine
                {
                    Id = "E1", Kind = MoneyLineKind.Expense, Party = "退回3栋公维金账户", What = "结余退回",
                    Amount = -0.01m, Date = new DateOnly(2026, 6, 1), Refund = true, Reverses = "E0",
                    RecordedAt = at, RecordedBy = "经理",
                },
            ],
            Updates =
            [
                new ProgressUpdate { Text = "管道已进场", PhotoIds = ["p1", "p2"], At = at, By = "经理" },
            ],
            Acceptance = new Acceptance
            {
                AcceptedBy = "业委会委员二人", Date = new DateOnly(2026, 6, 1), Note = "水压达标",
                RecordedAt = at, RecordedBy = "经理",
            },
        };
        Assert.True(Store.TryUpdate(full, created.Version, Audit("project.accept", created.Number)));

        Assert.Equivalent(full, Store.Find("north", created.Number), strict: true);
    }

    [Fact]
    public void AChangeFromAnOlderVersionIsRefusedWithoutItsAuditEntry()
    {
        var created = Store.Create(Draft("north", Summer), Audit("project.create"));
        var funding = created with { Status = ProjectStatus.Funding, Version = created.Version + 1 };
        Assert.True(Store.TryUpdate(funding, created.Version, Audit("project.status", created.Number)));

        var stale = created with { Title = "改名", Version = created.Version + 1 };
        Assert.False(Store.TryUpdate(stale, created.Version, Audit("project.stale", created.Number)));
        Assert.Equal((ProjectStatus.Funding, "3栋消防主管补水"),
            (Store.Find("north", created.Number)!.Status, Store.Find("north", created.Number)!.Title));
        Assert.Equal(["project.create", "project.status"], AuditOf(created.Number).Select(e => e.Action).Order());
    }

    [Fact]
    public void AnotherCommunitysProjectIsNeitherFoundNorChanged()
    {
        var created = Store.Create(Draft("north", Summer), Audit("project.create"));

        Assert.Null(Store.Find("south", created.Number));
        Assert.Empty(Store.List("south"));
        var moved = created with { CommunityId = "south", Version = created.Version + 1 };
        Assert.False(Store.TryUpdate(moved, created.Version, Audit("project.status", created.Number)));
        Assert.Equal("north", Store.Find("north", created.Number)!.CommunityId);
    }

    [Fact]
    public void TheListIsNewestFirstAndLeavesClosedProjectsOutWhenAsked()
    {
        var older = Store.Create(Draft("north", Summer, "旧项目"), Audit("project.create"));
        Store.Create(Draft("north", Summer.AddDays(3), "新项目"), Audit("project.create"));
        var closed = older with { Status = ProjectStatus.Closed, Version = older.Version + 1 };
        Assert.True(Store.TryUpdate(closed, older.Version, Audit("project.status", older.Number)));

        Assert.Equal(["新项目", "旧项目"], Store.List("north").Select(p => p.Title));
        Assert.Equal(["新项目"], Store.List("north", openOnly: true).Select(p => p.Title));
    }
}

public sealed class LiteProjectStoreTests : ProjectStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteProjectStoreTests() => Store = new LiteProjectStore(_db);

    protected override IProjectStore Store { get; }

    protected override IReadOnlyList<AuditEntry> AuditOf(string target) =>
        _db.AuditLog.Find(e => e.Target == target).ToList();

    public void Dispose() => _db.Dispose();
}

public sealed class PgProjectStoreTests : ProjectStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IProjectStore Store => field ??= new PgProjectStore(_postgres.Db);

    protected override IReadOnlyList<AuditEntry> AuditOf(string target) => PgAudit.Of(_postgres, target);

    public void Dispose() => _postgres.Dispose();
}

/// <summary>The audit entries of the contracts' two communities with a target.</summary>
internal static class PgAudit
{
    public static IReadOnlyList<AuditEntry> Of(TestPostgresDatabase postgres, string target) =>
    [
        .. new[] { "north", "south" }.SelectMany(community => new PgAuditLog(postgres.Db).Latest(community, 0, 1000))
            .Where(e => e.Target == target),
    ];
}
