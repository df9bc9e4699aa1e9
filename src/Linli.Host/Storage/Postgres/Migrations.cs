using System.Reflection;
using Dapper;
using Npgsql;

namespace Linli.Storage.Postgres;

/// <summary>
/// The schema as numbered SQL files (<c>Storage/Postgres/Migrations/0001_name.sql</c>, embedded in the build),
/// applied in order, each in its own transaction, and recorded in <c>schema_migrations</c>. Instances starting together
/// take turns under an advisory lock, so each file runs once however many start at once; a file already applied is
/// never run again, so a change to the schema is always a new file.
/// </summary>
public static class Migrations
{
    /// <summary>The advisory lock key the migrating instance holds ("linli" as a number).</summary>
    public const long LockKey = 0x6C696E6C69;

    private const string Prefix = "Linli.Migrations.";

    /// <summary>Every migration this build carries, by number.</summary>
    public static IReadOnlyList<(int Number, string Name, string Sql)> All { get; } = Load();

    /// <returns>The numbers applied now (none when the database was up to date).</returns>
    public static IReadOnlyList<int> Apply(NpgsqlConnection connection)
    {
        connection.Execute("SELECT pg_advisory_lock(@LockKey)", new { LockKey });
        try
        {
            connection.Execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    number int PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """);
            var done = connection.Query<int>("SELECT number FROM schema_migrations").ToHashSet();
            var applied = new List<int>();
            foreach (var (number, name, sql) in All.Where(m => !done.Contains(m.Number)))
            {
                using var transaction = connection.BeginTransaction();
                connection.Execute(sql, transaction: transaction);
                connection.Execute("INSERT INTO schema_migrations (number, name) VALUES (@number, @name)",
                    new { number, name }, transaction);
                transaction.Commit();
                applied.Add(number);
            }
            return applied;
        }
        finally
        {
            // A failed migration may have broken the connection; its error is the one to see, and a closed session
            // holds no lock.
            try
            {
                connection.Execute("SELECT pg_advisory_unlock(@LockKey)", new { LockKey });
            }
            catch (NpgsqlException)
            {
            }
        }
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(Migrations).Assembly;
        var found = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix)).Order())
        {
            var name = resource[Prefix.Length..^".sql".Length];
            if (name.Split('_', 2) is not [var digits, _] || !int.TryParse(digits, out var number))
                throw new InvalidOperationException($"Migration {name} is not named NNNN_what.sql.");
            found.Add((number, name, Read(assembly, resource)));
        }
        var twice = found.GroupBy(m => m.Item1).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new InvalidOperationException($"Two migrations are numbered {twice.Key}.");
        return found;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
