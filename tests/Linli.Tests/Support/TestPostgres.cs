using Dapper;
using Linli.Storage.Postgres;
using Npgsql;

namespace Linli.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests use (<c>LINLI_TEST_POSTGRES</c>, a connection string; <c>scripts/test-servers
/// start</c> prints it). Each test gets a database of its own, copied from one migrated this run, and dropped after.
/// Without a server the PostgreSQL tests are skipped, except under CI, where they must run. The skip happens where the
/// store is first used, so a test that uses its store from parallel threads touches it first on its own.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "LINLI_TEST_POSTGRES";

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    private static readonly Lazy<string> Template = new(CreateTemplate);

    /// <summary>A new, migrated, empty database; skips the test when no server is configured.</summary>
    public static PostgresDatabase CreateDatabase()
    {
        var server = RequireServer();
        var name = $"linli_t_{Guid.NewGuid():n}";
        Admin($"CREATE DATABASE {name} TEMPLATE {Template.Value}");
        return PostgresDatabase.Open(WithDatabase(server, name));
    }

    /// <summary>A new database with nothing in it, not even the schema: its connection string.</summary>
    public static string CreateEmptyDatabase()
    {
        var server = RequireServer();
        var name = $"linli_t_{Guid.NewGuid():n}";
        Admin($"CREATE DATABASE {name}");
        return WithDatabase(server, name);
    }

    public static void Drop(PostgresDatabase database)
    {
        var name = database.Name;
        database.Dispose();
        Drop(name);
    }

    public static void Drop(string database) => Admin($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");

    /// <summary>The server's connection string; skips the test when none is configured (fails it under CI).</summary>
    public static string RequireServer()
    {
        if (Server is { } server) return server;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail($"{Variable} is not set: CI runs the PostgreSQL tests (see scripts/test-servers).");
        Assert.Skip($"No PostgreSQL: set {Variable} (eval \"$(scripts/test-servers start)\").");
        return "";
    }

    private static string CreateTemplate()
    {
        var name = $"linli_template_{Environment.ProcessId}";
        Admin($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        Admin($"CREATE DATABASE {name}");
        // Migrated once; every test's database is a copy (no connection may stay open on a template).
        PostgresDatabase.Open(WithDatabase(Server!, name)).Dispose();
        NpgsqlConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Drop(name);
            }
            catch (NpgsqlException)
            {
                // The server went first (CI stops it after the run): nothing is left to tidy.
            }
        };
        return name;
    }

    private static void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(WithDatabase(Server!, "postgres"));
        connection.Open();
        connection.Execute(sql);
    }

    private static string WithDatabase(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
}

/// <summary>
/// A test's own PostgreSQL database, made on first use (so a missing server skips the test) and dropped.
/// </summary>
public sealed class TestPostgresDatabase : IDisposable
{
    // Tests call stores from parallel threads: the database is made once whoever asks first.
    private readonly Lazy<PostgresDatabase> _db = new(TestPostgres.CreateDatabase);

    public PostgresDatabase Db => _db.Value;

    public void Dispose()
    {
        if (_db.IsValueCreated) TestPostgres.Drop(_db.Value);
    }
}
