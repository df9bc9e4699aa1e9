using System.Net;
using System.Text.Json;
using Dapper;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Storage.Setup;
using Linli.Tests.Support;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Linli.Tests.Storage;

/// <summary>
/// <c>copy-to-postgres</c> run in-process as Program runs it: 0 and a line per table when the copy is done and
/// checked, 2 and a sentence when it is not.
/// </summary>
public sealed class CopyToPostgresCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private string? _database;

    private string Database => _database ??= TestPostgres.CreateEmptyDatabase();

    public void Dispose()
    {
        if (_database is not null) TestPostgres.Drop(new NpgsqlConnectionStringBuilder(_database).Database!);
        _dir.Dispose();
    }

    private string Demo()
    {
        var path = _dir.File("linli.db");
        if (!File.Exists(path)) SeededTemplate.CopyTo(path);
        return path;
    }

    private static (int Exit, string Output, string Error) Run(string? configured, params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = configured })
            .Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = StorageCommands.Run(args, configuration, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void CopiesTheFileIntoTheConfiguredDatabaseThenRefusesToCopyItAgain()
    {
        var demo = Demo();
        var database = Database;

        var (exit, output, error) = Run(database, "copy-to-postgres", "--from", demo);

        Assert.True(exit == 0, error);
        Assert.Contains("every count and checksum matches", output);
        Assert.Matches(@"\n  tea_posts +\d+ rows  checksum [0-9a-f]{16}  ok", output);
        TestContext.Current.TestOutputHelper?.WriteLine(output);

        var again = Run(null, "copy-to-postgres", "--from", demo, "--to", database);
        Assert.Equal(2, again.Exit);
        Assert.Contains("already has community citong", again.Error);
        Assert.Equal("", again.Output.Split('\n')[1..].Aggregate("", (a, b) => a + b).Trim());
    }

    [Theory]
    [InlineData("copy-to-postgres")]
    [InlineData("copy-to-postgres", "--from")]
    [InlineData("copy-to-postgres", "--form", "x.db")]
    public void WrongArgumentsAreExplained(params string[] args)
    {
        var (exit, output, error) = Run("Host=localhost", args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("Usage: copy-to-postgres --from", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void AMissingFileIsNotCreated()
    {
        var missing = _dir.File("nothing.db");

        var (exit, _, error) = Run("Host=localhost", "copy-to-postgres", "--from", missing);

        Assert.Equal((2, $"copy-to-postgres: There is no file {missing}."), (exit, error.Trim()));
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void WithoutADatabaseItSaysWhereToNameOne()
    {
        var (exit, _, error) = Run(null, "copy-to-postgres", "--from", Demo());

        Assert.Equal(2, exit);
        Assert.Contains("ConnectionStrings:Postgres", error);
    }

    [Fact]
    public void AnUnreachableDatabaseIsSaidPlainly()
    {
        var (exit, _, error) = Run(null, "copy-to-postgres", "--from", Demo(), "--to",
            "Host=127.0.0.1;Port=1;Username=linli;Database=nowhere;Timeout=3");

        Assert.Equal(2, exit);
        Assert.StartsWith("copy-to-postgres: PostgreSQL cannot be reached", error);
    }

    [Fact]
    public void AFileInUseIsRefused()
    {
        var demo = Demo();
        using var running = LinliDatabase.Open(demo);

        var (exit, _, error) = Run(Database, "copy-to-postgres", "--from", demo);

        Assert.Equal(2, exit);
        Assert.Contains("in use by another Linli process", error);
    }
}

/// <summary>
/// Linli started on PostgreSQL with the demo on: the estate seeded in memory and copied up, once however many
/// instances start, and the app answering from it.
/// </summary>
public sealed class PostgresDemoTests : IDisposable
{
    private string? _database;

    private string Database => _database ??= TestPostgres.CreateEmptyDatabase();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (_database is not null) TestPostgres.Drop(new NpgsqlConnectionStringBuilder(_database).Database!);
    }

    [Fact]
    public async Task TheAppStartsWithTheDemoAndAnswersFromPostgres()
    {
        var database = Database;
        // A LiteDB file there already: the factory does not copy its seeded one (PostgreSQL seeds its own demo).
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("linli.db"), []);
        await using var app = new LinliAppFactory(new()
        {
            ["Storage:Provider"] = "PostgreSQL", ["ConnectionStrings:Postgres"] = database,
        }, directory);
        var http = app.CreateClient();

        var health = await http.GetAsync("/healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("PostgreSQL", await health.Content.ReadAsStringAsync(Ct));

        var manager = await StaffClient.SignInAsync(app, "manager");
        var queue = await manager.GetAsync("/api/communities/citong/tickets", Ct);
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        var tickets = JsonDocument.Parse(await queue.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.True(tickets.GetArrayLength() > 0, tickets.ToString());

        var chat = await ResidentChat.StartAsync(app);
        chat.BindTo(app.Services, "3栋502");
        var rate = await chat.SayAsync("我们小区物业费收缴率是多少");
        Assert.Contains("物业费收缴率：按金额", string.Join("\n", rate));
        await chat.SayAsync("我家欠多少物业费");
        Assert.Contains("元", string.Join("\n", await chat.SayAsync("2026年10月")));
    }

    [Fact]
    public async Task InstancesStartingTogetherSeedOnce()
    {
        using var postgres = PostgresDatabase.Open(Database);
        var seeded = 0;
        LinliDatabase Seed()
        {
            Interlocked.Increment(ref seeded);
            var estate = LinliDatabase.Open(":memory:");
            Linli.Seeding.DemoSeeder.Standalone(estate,
                new Linli.Seeding.DemoOptions { Seed = true, LastPeriod = LinliAppFactory.LastPeriod },
                TimeProvider.System).SeedIfEmpty();
            return estate;
        }

        var reports = await Task.WhenAll(Enumerable.Range(0, 3)
            .Select(_ => Task.Run(() => LiteToPostgres.CopyIfEmpty(postgres, Seed), Ct)));

        Assert.Single(reports, r => r is not null);
        Assert.Equal(1, seeded);
        Assert.Equal(1, postgres.Run(c => c.ExecuteScalar<int>("SELECT count(*) FROM communities")));
    }
}
