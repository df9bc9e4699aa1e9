using System.Diagnostics;
using Dapper;
using Linli.Storage.LiteDb;
using Npgsql;

namespace Linli.Storage.Postgres;

/// <summary>
/// Moves an estate up: every record of a LiteDB file into PostgreSQL, in the tables and forms the PostgreSQL stores
/// write, in one transaction, each table checked by its count and checksum read back before it commits.
/// </summary>
public static class LiteToPostgres
{
    /// <summary>The advisory lock copies take turns under ("linlicp" as a number).</summary>
    private const long CopyLockKey = 0x6C696E6C6963_70;

    /// <summary>The advisory lock instances seeding the demo take turns under ("linlids" as a number).</summary>
    private const long SeedLockKey = 0x6C696E6C6964_73;

    /// <summary>
    /// Copies every record of <paramref name="from"/> into <paramref name="to"/>, or nothing: refused when one of the
    /// file's communities is there already, when a row would take another's key, or when a table read back does not
    /// match what was sent (the check runs before the commit, so a mismatch leaves nothing behind).
    /// </summary>
    /// <exception cref="CopyRefused">Nothing was copied; the message says why.</exception>
    public static CopyReport Copy(LinliDatabase from, PostgresDatabase to)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var connection = to.Connect();
            using var transaction = connection.BeginTransaction();
            // Copies take turns, so two of one file cannot both find its communities absent.
            connection.Execute("SELECT pg_advisory_xact_lock(@CopyLockKey)", new { CopyLockKey }, transaction);
            var copier = new EstateCopier(from, connection, transaction);
            copier.RefuseCommunitiesPresent(to.Name);
            copier.CopyAll();
            var tables = copier.Verify();
            var report = new CopyReport(copier.Communities, tables, copier.Notes, clock.Elapsed);
            if (tables.Where(x => !x.Matches).Select(x => x.Table).ToList() is { Count: > 0 } wrong)
                throw new CopyRefused(
                    $"What PostgreSQL holds does not match what was sent in {string.Join(", ", wrong)}: nothing was " +
                    "copied.", report);
            copier.MoveSequences();
            transaction.Commit();
            return report with { Elapsed = clock.Elapsed };
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new CopyRefused(
                $"PostgreSQL already holds a row of {e.TableName} that the file also has ({e.ConstraintName}): " +
                "nothing was copied.", inner: e);
        }
        catch (NpgsqlException e)
        {
            throw new CopyRefused($"The copy to PostgreSQL failed, and nothing was copied: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// Copies the estate <paramref name="seed"/> makes into a database that has no community yet, once however many
    /// instances start at once (they take turns under an advisory lock; the first finds it empty).
    /// </summary>
    /// <returns>The copy's report, or null when the database had communities already.</returns>
    public static CopyReport? CopyIfEmpty(PostgresDatabase to, Func<LinliDatabase> seed)
    {
        using var connection = to.Connect();
        connection.Execute("SELECT pg_advisory_lock(@SeedLockKey)", new { SeedLockKey });
        try
        {
            if (connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM communities)")) return null;
            using var estate = seed();
            return Copy(estate, to);
        }
        finally
        {
            connection.Execute("SELECT pg_advisory_unlock(@SeedLockKey)", new { SeedLockKey });
        }
    }

    /// <summary>
    /// Opens the database at <paramref name="connectionString"/> for a copy, bringing its schema up to date. Its
    /// statements may run as long as they need (a large estate's bills are read back in one, well past the usual 30
    /// seconds), unless the connection string says otherwise.
    /// </summary>
    /// <exception cref="CopyRefused">It cannot be reached, or the connection string is not one.</exception>
    public static PostgresDatabase Open(string connectionString)
    {
        try
        {
            var patient = new NpgsqlConnectionStringBuilder(connectionString);
            if (!patient.ContainsKey("Command Timeout")) patient.CommandTimeout = 0;
            return PostgresDatabase.Open(patient.ConnectionString);
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            throw new CopyRefused($"PostgreSQL cannot be reached or brought up to date: {e.Message}", inner: e);
        }
    }
}

/// <summary>What a copy did: each table's rows and checksum, sent and read back.</summary>
public sealed record CopyReport(
    IReadOnlyList<string> Communities, IReadOnlyList<TableCheck> Tables, IReadOnlyList<string> Notes,
    TimeSpan Elapsed)
{
    public long Rows => Tables.Sum(t => t.Rows);
}

/// <summary>
/// One table's rows as sent and as read back from PostgreSQL: their count and their order-independent checksum
/// (SHA-256 of each row's canonical values, summed).
/// </summary>
public sealed record TableCheck(string Table, long Rows, string Checksum, long ReadRows, string ReadChecksum)
{
    public bool Matches => Rows == ReadRows && Checksum == ReadChecksum;
}

/// <summary>A copy that did not happen (nothing was written), and why, in a sentence.</summary>
public sealed class CopyRefused(string message, CopyReport? report = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The checks, when it was refused for a mismatch.</summary>
    public CopyReport? Report { get; } = report;
}
