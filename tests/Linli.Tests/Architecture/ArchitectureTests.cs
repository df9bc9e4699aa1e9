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

    /// <summary>
    /// Types that still read another feature's LiteDB collections directly, to be moved behind that feature's store.
    /// The list only shrinks: a type that no longer needs LiteDB must leave it (the second check fails otherwise).
    /// </summary>
    private static readonly string[] StillReadingLiteDb =
    [
        "Linli.MaintenanceFund.FundApplications", "Linli.MaintenanceFund.FundMoney",
        "Linli.Mediation.MediationCasework", "Linli.Mediation.MediationIntake", "Linli.Mediation.MediationService",
        "Linli.Privacy.PrivacyService", "Linli.Projects.ProjectMoney", "Linli.PublicRevenue.RevenueAudit",
        "Linli.Transparency.DashboardService", "Linli.Transparency.FeeDashboard",
        "Linli.Transparency.OpenAccountsAnswers",
    ];

    /// <summary>
    /// Uses that still close a cycle, to be moved: the chat's shared words (<c>CommonPhrases</c>) live in Chat, above
    /// the handoff and the tea table's timers that speak with them. The list only shrinks: each entry must still close
    /// a cycle on its own (the second check fails otherwise).
    /// </summary>
    private static readonly string[] StillClosingCycles =
    [
        "Linli.StaffConsole.HandoffService → Linli.Chat.CommonPhrases",
        "Linli.TeaTable.TeaTableTimers → Linli.Chat.CommonPhrases",
    ];

    [Fact]
    public void TheAreasHaveNoCycles()
    {
        // The types still reading LiteDB directly (above) use Storage.LiteDb, which implements their stores.
        bool StillReading(string use) =>
            StillReadingLiteDb.Any(t => use.StartsWith(t + " → Linli.Storage.LiteDb.", StringComparison.Ordinal));
        bool Excepted(string use) => StillReading(use) || StillClosingCycles.Contains(use);

        var cycles = Host.Cycles(Excepted);
        Assert.True(cycles.Count == 0, "Cycles among the areas:\n" + string.Join("\n", cycles));

        foreach (var use in StillClosingCycles)
        {
            var closing = Host.Cycles(other => other != use && Excepted(other));
            Assert.True(closing.Count > 0, $"{use} no longer closes a cycle: take it off the list.");
        }
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
        var outside = Host.TypesUsingAssembly("LiteDB")
            .Where(t => !t.StartsWith("Linli.Storage.", StringComparison.Ordinal)
                        && !t.StartsWith("Linli.Seeding.", StringComparison.Ordinal))
            .ToHashSet();

        Assert.Empty(outside.Except(StillReadingLiteDb));
        Assert.Empty(StillReadingLiteDb.Except(outside));
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
