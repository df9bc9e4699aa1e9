using Linli.Seeding;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Support;

/// <summary>
/// The demo estate without its daily life (<see cref="DemoLife"/>), for tests that count a queue or a list, or take a
/// number, from a community's first: the flats, people and bills stay; the demo's tickets, projects or cases go.
/// </summary>
public static class WithoutDemoLife
{
    public static LinliAppFactory WithoutDemoTickets(this LinliAppFactory app)
    {
        Db(app).Tickets.DeleteMany(t => t.SourceKey.StartsWith(DemoLife.SourcePrefix));
        return app;
    }

    public static LinliAppFactory WithoutDemoProjects(this LinliAppFactory app)
    {
        Db(app).Projects.DeleteMany(p => p.CommunityId == DemoCommunity.Id);
        return app;
    }

    /// <summary>The cases and the counters their numbers came from.</summary>
    public static LinliAppFactory WithoutDemoCases(this LinliAppFactory app)
    {
        Db(app).MediationCases.DeleteMany(c => c.CommunityId == DemoCommunity.Id);
        Db(app).Settings.DeleteMany(s => s.Id.StartsWith($"mediation|{DemoCommunity.Id}|"));
        return app;
    }

    private static LinliDatabase Db(LinliAppFactory app) => app.Services.GetRequiredService<LinliDatabase>();
}
