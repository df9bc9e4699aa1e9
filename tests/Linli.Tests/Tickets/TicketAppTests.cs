using Linli.Storage.LiteDb;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Tickets;

/// <summary>
/// Linli on a clock the test moves, its pages recorded, without the demo's tickets (pages and breaches are counted
/// from the tickets a test opens); and what the ticket tests ask of it.
/// </summary>
public abstract class TicketAppTests : IDisposable
{
    protected TicketAppTests() =>
        App = new LinliAppFactory(time: Clock, services: s => s.AddSingleton<IStaffPager>(Pager)).WithoutDemoTickets();

    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    internal RecordingPager Pager { get; } = new();
    protected LinliAppFactory App { get; }

    public void Dispose()
    {
        App.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
    protected LinliDatabase Db => App.Services.GetRequiredService<LinliDatabase>();
    protected TicketService Tickets => App.Services.GetRequiredService<TicketService>();
    /// <summary>What the escalation and service-level timers run, for a test to run a round itself.</summary>
    protected ServiceLevels Levels => App.Services.GetRequiredService<ServiceLevels>();
    protected string PersonOf(string account) => Db.Accounts.FindById(account)!.PersonId;

    protected static string RepairNumber(IEnumerable<string> said) =>
        System.Text.RegularExpressions.Regex.Match(string.Join("\n", said), @"BX-\d{8}-\d{4}").Value;

    protected static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50, Ct);
        Assert.True(condition(), what);
    }
}
