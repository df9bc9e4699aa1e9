using Linli.StaffConsole;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IHandoffStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class HandoffStoreContract
{
    private static readonly DateTimeOffset Since = new(2026, 11, 2, 4, 5, 6, 789, TimeSpan.Zero);

    protected abstract IHandoffStore Store { get; }

    private static HandoffRecord Handoff(string channel, string user, string staff = "north-p0002") => new()
    {
        Id = HandoffRecord.Key(channel, user), TicketNumber = "RG-20261102-0001",
        StaffPersonId = staff, StaffName = "王经理", Since = Since,
    };

    [Fact]
    public void AHandoffIsFoundByTheResidentsChatAndEveryFieldRoundTrips()
    {
        var handoff = Handoff("directline", "u1");
        Store.Save(handoff);

        Assert.Equal(handoff, Store.Find("directline", "u1"));
        Assert.Null(Store.Find("wechat", "u1"));
        Assert.Null(Store.Find("directline", "u2"));
    }

    [Fact]
    public void SavingTheSameChatAgainReplacesIt()
    {
        Store.Save(Handoff("directline", "u1"));
        Store.Save(Handoff("directline", "u1", staff: "north-p0003"));

        Assert.Equal("north-p0003", Store.Find("directline", "u1")?.StaffPersonId);
    }

    [Fact]
    public void RemovingEndsItOnceAndOnlyThatOne()
    {
        Store.Save(Handoff("directline", "u1"));
        Store.Save(Handoff("directline", "u2"));

        Assert.True(Store.Remove("directline", "u1"));
        Assert.False(Store.Remove("directline", "u1"));
        Assert.Null(Store.Find("directline", "u1"));
        Assert.NotNull(Store.Find("directline", "u2"));
    }
}

public sealed class LiteHandoffStoreTests : HandoffStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteHandoffStoreTests() => Store = new LiteHandoffStore(_db);

    protected override IHandoffStore Store { get; }

    public void Dispose() => _db.Dispose();
}

public sealed class PgHandoffStoreTests : HandoffStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IHandoffStore Store => field ??= new PgHandoffStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
