using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;

namespace Linli.Tests.Storage;

public sealed class DatabaseLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SecondOpenOfTheSameFileIsRefusedNamingTheFile()
    {
        var path = _dir.File("linli.db");
        using var first = LinliDatabase.Open(path);

        var ex = Assert.Throws<DatabaseInUseException>(() => LinliDatabase.Open(path));
        Assert.Contains(path, ex.Message);
        Assert.Equal(path, ex.DatabasePath);
    }

    [Fact]
    public void TheSameFileReachedByAnotherPathIsStillRefused()
    {
        var path = _dir.File("linli.db");
        using var first = LinliDatabase.Open(path);
        var roundabout = Path.Combine(_dir.Path, "sub", "..", "linli.db");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "sub"));

        Assert.Throws<DatabaseInUseException>(() => LinliDatabase.Open(roundabout));
    }

    [Fact]
    public void ClosingReleasesTheLockAndKeepsTheData()
    {
        var path = _dir.File("linli.db");
        using (var first = LinliDatabase.Open(path))
            first.Seeds.Insert(new SeedRecord { Id = "x", RandomSeed = 1, LastPeriod = new(2026, 1), SeededAt = DateTimeOffset.UnixEpoch });

        using var second = LinliDatabase.Open(path);
        Assert.NotNull(second.Seeds.FindById("x"));
    }

    [Fact]
    public void DifferentFilesDoNotBlockEachOther()
    {
        using var a = LinliDatabase.Open(_dir.File("a.db"));
        using var b = LinliDatabase.Open(_dir.File("b.db"));
        Assert.NotEqual(a.Location, b.Location);
    }
}
