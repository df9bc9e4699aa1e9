using Dapper;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Npgsql;

namespace Linli.Tests.Storage;

/// <summary>
/// The PostgreSQL schema is brought up to date at start, once, however many instances start together.
/// </summary>
public sealed class PostgresMigrationTests : IDisposable
{
    private string? _database;

    /// <summary>Made on first use, so that a missing server skips the test.</summary>
    private string Database => _database ??= TestPostgres.CreateEmptyDatabase();

    [Fact]
    public async Task InstancesStartingTogetherApplyEachMigrationOnce()
    {
        var database = Database;
        var starts = Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresDatabase.Open(database)));
        foreach (var db in await Task.WhenAll(starts)) db.Dispose();

        using var connection = new NpgsqlConnection(Database);
        var applied = connection.Query<int>("SELECT number FROM schema_migrations ORDER BY number").ToList();
        Assert.Equal(Migrations.All.Select(m => m.Number), applied);
        Assert.Equal(1, connection.ExecuteScalar<int>("SELECT count(*) FROM pg_tables WHERE tablename = 'notices'"));
    }

    [Fact]
    public void ADatabaseUpToDateIsLeftAsItIs()
    {
        PostgresDatabase.Open(Database).Dispose();
        using var connection = new NpgsqlConnection(Database);
        connection.Open();

        Assert.Empty(Migrations.Apply(connection));
        Assert.Equal(Migrations.All.Count, connection.ExecuteScalar<int>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void TheMigrationsAreNumberedFromOneWithoutGaps() =>
        Assert.Equal(Enumerable.Range(1, Migrations.All.Count), Migrations.All.Select(m => m.Number));

    public void Dispose()
    {
        if (_database is null) return;
        NpgsqlConnection.ClearAllPools();
        TestPostgres.Drop(new NpgsqlConnectionStringBuilder(_database).Database!);
    }
}
