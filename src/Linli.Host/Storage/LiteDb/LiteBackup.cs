using LiteDB;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Copies of an estate's database taken while Linli runs, and putting one back while it does not. A copy is one
/// moment of the whole file: while it is made, every writer waits (seconds for an estate), readers do not.
/// </summary>
public static class LiteBackup
{
    /// <param name="Documents">Documents copied, of every collection.</param>
    public sealed record Report(string Path, long Bytes, int Collections, long Documents);

    /// <summary>Writes a copy of <paramref name="db"/> to <paramref name="path"/> (a new file).</summary>
    public static Report Write(LinliDatabase db, string path) => db.Exclusively(() => WriteAlone(db, path));

    private static Report WriteAlone(LinliDatabase db, string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) throw new IOException($"{full} exists already: a backup never overwrites a file.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        Delete(partial);
        // LiteDB's transactions belong to the thread: the whole copy runs on this one, without awaiting.
        if (!db.BeginTrans()) throw new InvalidOperationException("A backup cannot run inside another transaction.");
        try
        {
            var names = db.GetCollectionNames().Order(StringComparer.Ordinal).ToList();
            // A write to each collection, undone at the end, takes its write lock until then: nobody else commits
            // while the copy is read, so every collection is copied as of the same moment.
            foreach (var name in names)
            {
                var collection = db.GetCollection(name);
                collection.Upsert(new BsonDocument { ["_id"] = Placeholder });
                collection.Delete(Placeholder);
            }
            long documents = 0;
            using (var copy = new LiteDatabase(new ConnectionString { Filename = partial, Collation = db.Collation }))
            {
                foreach (var name in names)
                {
                    var target = copy.GetCollection(name);
                    foreach (var batch in db.GetCollection(name).FindAll().Chunk(5000))
                        documents += target.InsertBulk(batch);
                }
                copy.Checkpoint();
            }
            File.Move(partial, full);
            return new Report(full, new FileInfo(full).Length, names.Count, documents);
        }
        finally
        {
            db.Rollback();
            Delete(partial);
        }
    }

    /// <summary>
    /// Puts <paramref name="backup"/> in place of the database at <paramref name="target"/>, which no Linli may be
    /// running on (its lock says so). The file it replaces is kept beside it ("….before-restore-{time}").
    /// </summary>
    public static Report Restore(string backup, string target, DateTimeOffset now)
    {
        var (from, to) = (Path.GetFullPath(backup), Path.GetFullPath(target));
        if (!File.Exists(from)) throw new FileNotFoundException($"No backup at {from}.", from);
        using var targetLock = DatabaseLock.Acquire(to);
        var restoring = to + ".restoring";
        Delete(restoring);
        File.Copy(from, restoring);
        Report report;
        // Opened as Linli opens it (its indexes made now), and counted: a file that cannot be read is not put in place.
        using (var check = LinliDatabase.Open(restoring))
        {
            var names = check.GetCollectionNames().ToList();
            report = new Report(to, 0, names.Count, names.Sum(n => (long)check.GetCollection(n).Count()));
            check.Checkpoint();
        }
        Delete(restoring + ".lock");
        if (File.Exists(to))
        {
            var kept = $"{to}.before-restore-{now.UtcDateTime:yyyyMMddHHmmss}";
            File.Move(to, kept);
            if (File.Exists(LogOf(to))) File.Move(LogOf(to), LogOf(kept));
        }
        File.Move(restoring, to);
        return report with { Bytes = new FileInfo(to).Length };
    }

    private static readonly BsonValue Placeholder = new("~backup");

    /// <summary>LiteDB's write-ahead log beside its file: "linli.db" → "linli-log.db".</summary>
    private static string LogOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!,
            Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    private static void Delete(string path)
    {
        if (File.Exists(path)) File.Delete(path);
        if (File.Exists(LogOf(path))) File.Delete(LogOf(path));
    }
}
