using Linli.Notices;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="INoticeStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class NoticeStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    protected abstract INoticeStore Store { get; }

    private static Notice NewNotice(string community, int minutes, string title = "停水通知") => new()
    {
        Id = Ids.New(),
        CommunityId = community,
        Scope = NoticeScope.Community,
        Title = title,
        Body = "明天 9:00-12:00 停水。",
        PublishedAt = Noon.AddMinutes(minutes),
        PublishedBy = "staff-1",
    };

    [Fact]
    public void ASavedNoticeIsFoundInItsCommunityOnly()
    {
        var notice = NewNotice("north", 0);
        Store.Save(notice);

        Assert.Equal(notice, Store.Find("north", notice.Id));
        Assert.Null(Store.Find("south", notice.Id));
        Assert.Empty(Store.Latest("south"));
    }

    [Fact]
    public void SavingTheSameIdAgainReplacesIt()
    {
        var notice = NewNotice("north", 0);
        Store.Save(notice);
        Store.Save(notice with { PushedTo = 12 });

        var only = Assert.Single(Store.Latest("north"));
        Assert.Equal(12, only.PushedTo);
    }

    [Fact]
    public void LatestIsNewestFirstAndTakesAsManyAsAsked()
    {
        var notices = Enumerable.Range(0, 5).Select(i => NewNotice("north", i * 10, $"通知 {i}")).ToList();
        foreach (var notice in notices.OrderBy(_ => Random.Shared.Next())) Store.Save(notice);

        Assert.Equal(["通知 4", "通知 3", "通知 2", "通知 1", "通知 0"],
            Store.Latest("north").Select(n => n.Title));
        Assert.Equal(["通知 4", "通知 3"], Store.Latest("north", take: 2).Select(n => n.Title));
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var notice = NewNotice("north", 0) with
        {
            Scope = NoticeScope.Unit,
            UnitId = "north-3-0502",
            BuildingNumber = null,
            PublishedAt = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero),
            PushedTo = 1,
        };
        Store.Save(notice);
        Assert.Equal(notice, Store.Find("north", notice.Id));
    }
}

public sealed class LiteNoticeStoreTests : NoticeStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteNoticeStoreTests() => Store = new LiteNoticeStore(_db);

    protected override INoticeStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgNoticeStoreTests : NoticeStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override INoticeStore Store => field ??= new PgNoticeStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
