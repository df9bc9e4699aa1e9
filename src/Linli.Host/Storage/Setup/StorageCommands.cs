using System.Globalization;
using Linli.Hosting;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;

namespace Linli.Storage.Setup;

/// <summary>
/// Storage's commands, run instead of the web server:
/// <c>copy-to-postgres --from data/linli.db [--to "Host=…;Database=…"]</c> moves an estate's LiteDB file into
/// PostgreSQL (see <see cref="LiteToPostgres"/>). Without <c>--to</c> the database is <c>ConnectionStrings:Postgres</c>
/// from the app's own configuration (appsettings, <c>ConnectionStrings__Postgres</c>).
/// </summary>
public static class StorageCommands
{
    public const string CopyToPostgres = "copy-to-postgres";

    private const string Usage = $"Usage: {CopyToPostgres} --from <linli.db> [--to \"Host=…;Database=…\"]";

    /// <summary>Runs the command <paramref name="args"/> name, if they name one of storage's.</summary>
    /// <returns>False when they do not (the web server runs); <paramref name="exit"/> is then 0.</returns>
    public static bool TryRun(string[] args, out int exit)
    {
        exit = 0;
        if (args is not [CopyToPostgres, ..]) return false;
        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] }).Configuration;
        exit = Run(args, configuration, Console.Out, Console.Error);
        return true;
    }

    /// <returns>
    /// 0 when the copy is done and checked; 2, with one sentence on <paramref name="error"/>, when it is not.
    /// </returns>
    public static int Run(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        try
        {
            var (from, to) = Arguments(args, configuration);
            if (!File.Exists(from)) throw new CopyRefused($"There is no file {from}.");
            using var lite = LinliDatabase.Open(from);
            using var postgres = LiteToPostgres.Open(to);
            output.WriteLine($"Copying {from} ({string.Join(", ", lite.Communities.FindAll().Select(c => c.Id))}) " +
                $"into PostgreSQL database {postgres.Name}");
            var report = LiteToPostgres.Copy(lite, postgres);
            foreach (var table in report.Tables)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {table.Table,-26} {table.Rows,9} rows  checksum {table.Checksum[..16]}  ok"));
            foreach (var note in report.Notes) output.WriteLine($"  note: {note}");
            var seconds = report.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            output.WriteLine($"Copied {report.Rows} rows into {report.Tables.Count} tables in {seconds} s: every count "
                + "and checksum matches.");
            return 0;
        }
        catch (Exception e) when (e is CopyRefused or StartupProblem or LiteDB.LiteException or IOException
                                      or UnauthorizedAccessException)
        {
            error.WriteLine($"{CopyToPostgres}: {e.Message}");
            return 2;
        }
    }

    private static (string From, string To) Arguments(string[] args, IConfiguration configuration)
    {
        string? from = null, to = null;
        for (var i = 1; i < args.Length; i++)
            switch (args[i])
            {
                case "--from" when i + 1 < args.Length:
                    from = args[++i];
                    break;
                case "--to" when i + 1 < args.Length:
                    to = args[++i];
                    break;
                default:
                    throw new CopyRefused($"{args[i]} is not understood. {Usage}");
            }
        if (string.IsNullOrWhiteSpace(from)) throw new CopyRefused($"Which file? {Usage}");
        to ??= configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(to))
            throw new CopyRefused(
                "Which PostgreSQL? Pass --to \"Host=…;Database=…\" or set ConnectionStrings:Postgres.");
        return (from, to);
    }
}
