using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Linli.Tests.Architecture;

/// <summary>
/// The walls between Linli's areas, checked on the compiled assembly (see docs/architecture.md): features never reach
/// up into the channels that carry them, and the database library is used behind the stores only.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly ModuleDependencies Host = ModuleDependencies.Of(typeof(Program));

    /// <summary>The features and the ground they stand on: none may know how messages reach them.</summary>
    private static readonly string[] BelowTheChannels =
    [
        "Accounts", "Calendar", "Communities", "Fees", "Hosting", "MaintenanceFund", "Mediation", "Notices", "People",
        "Projects", "PublicRevenue", "Residents", "StaffConsole", "Storage", "TeaTable", "Tickets", "Transparency",
        "Understanding", "Uploads",
    ];

    [Fact]
    public void TheAreasHaveNoCycles()
    {
        var cycles = Host.Cycles();
        Assert.True(cycles.Count == 0, "Cycles among the areas:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void NoFeatureKnowsTheChannels()
    {
        var reaching = BelowTheChannels
            .SelectMany(area => Host.UsesOf(area).GetValueOrDefault("Channels") ?? [])
            .ToList();
        Assert.True(reaching.Count == 0, "Features using Channels:\n" + string.Join("\n", reaching));
    }

    [Fact]
    public void OnlyStorageAndTheDemoSeedTouchLiteDb()
    {
        // Every feature reads and writes through its stores' interfaces, its own and other features'.
        var outside = Host.TypesUsingAssembly("LiteDB")
            .Where(t => !t.StartsWith("Linli.Storage.", StringComparison.Ordinal)
                        && !t.StartsWith("Linli.Seeding.", StringComparison.Ordinal))
            .ToHashSet();

        Assert.Empty(outside);
    }

    [Fact]
    public void OnlyThePostgresStoresTouchNpgsqlAndDapper()
    {
        var outside = new[] { "Npgsql", "Dapper" }
            .SelectMany(Host.TypesUsingAssembly)
            .Where(t => !t.StartsWith("Linli.Storage.Postgres.", StringComparison.Ordinal))
            .ToHashSet();

        Assert.Contains("Linli.Storage.Postgres.PgNoticeStore", Host.TypesUsingAssembly("Dapper"));
        Assert.Empty(outside);
    }

    [Fact]
    public void EachAreaIsWiredFromItsOneModule()
    {
        // Program.cs adds and maps modules: every Add… or Map… it can call (Hosting's web defaults and rate
        // limits aside) is in a class named …Module, one per namespace, so a feature's wiring is read in one place.
        var wiring = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true } && t.Namespace != "Linli.Hosting")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static), (type, method) => (type, method))
            .Where(x => x.method.IsDefined(typeof(ExtensionAttribute), false)
                && (x.method.Name.StartsWith("Add", StringComparison.Ordinal)
                    || x.method.Name.StartsWith("Map", StringComparison.Ordinal))
                && x.method.GetParameters()[0].ParameterType is var on
                && (on == typeof(IHostApplicationBuilder) || typeof(IEndpointRouteBuilder).IsAssignableFrom(on)))
            .ToList();

        Assert.Contains(wiring, x => x.method.Name == "MapTickets");
        Assert.Empty(wiring.Where(x => !x.type.Name.EndsWith("Module", StringComparison.Ordinal))
            .Select(x => $"{x.type.FullName}.{x.method.Name}"));
        Assert.All(wiring.GroupBy(x => x.type.Namespace), area => Assert.Single(area.Select(x => x.type).Distinct()));
    }

    [Fact]
    public void TheMapIsReadFromTheAssembly()
    {
        // The reader itself: Tickets' service uses People, and a type from another assembly is not an area.
        Assert.Contains("People", Host.UsesOf("Tickets").Keys);
        Assert.DoesNotContain("System", Host.Areas);
        Assert.Contains("Linli.Storage.LiteDb.LiteTicketStore", Host.TypesUsingAssembly("LiteDB"));

        // LINLI_ARCH_DETAIL="Channels>Tickets" prints the types behind one dependency.
        if (Environment.GetEnvironmentVariable("LINLI_ARCH_DETAIL")?.Split('>') is [var from, var to])
            foreach (var use in Host.UsesOf(from).GetValueOrDefault(to) ?? [])
                TestContext.Current.TestOutputHelper?.WriteLine($"  {use}");
        foreach (var area in Host.Areas)
            TestContext.Current.TestOutputHelper?.WriteLine($"{area} → {string.Join(", ", Host.UsesOf(area).Keys)}");
        foreach (var cycle in Host.Cycles())
            TestContext.Current.TestOutputHelper?.WriteLine($"cycle: {cycle}");
    }
}
