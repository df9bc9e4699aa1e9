using Linli.Hosting;

namespace Linli.Storage.LiteDb;

/// <summary>
/// An exclusive OS lock on "{database}.lock". LiteDB in direct mode does not stop a second process from
/// opening the same file on Linux, and both then lose writes silently, so we refuse to share it.
/// </summary>
/// <remarks>.NET takes <c>flock(LOCK_EX)</c> for <see cref="FileShare.None"/> on Unix; the kernel drops it when the process dies.</remarks>
public sealed class DatabaseLock : IDisposable
{
    private readonly FileStream _stream;

    private DatabaseLock(FileStream stream, string path)
    {
        _stream = stream;
        LockPath = path;
    }

    public string LockPath { get; }

    public static DatabaseLock Acquire(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        var lockPath = full + ".lock";
        try
        {
            var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(Environment.ProcessId);
            stream.Flush();
            return new DatabaseLock(stream, lockPath);
        }
        catch (IOException ex)
        {
            throw new DatabaseInUseException(full, lockPath, ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}

public sealed class DatabaseInUseException(string databasePath, string lockPath, Exception inner)
    : StartupProblem($"The database file {databasePath} is in use by another Linli process (lock held on {lockPath}). "
                + "Stop that process, or point Storage:DatabasePath at another file.", inner)
{
    public string DatabasePath { get; } = databasePath;
}
