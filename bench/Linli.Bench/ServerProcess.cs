using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Linli.Bench;

/// <summary>A server the bench runs as its own process: started, its address read from what it prints.</summary>
public static class ServerProcess
{
    /// <summary>
    /// Starts <paramref name="start"/> (its output redirected) and returns once it prints the line
    /// <paramref name="listening"/> matches, the address in its first group. Its output is drained from then on by
    /// asynchronous reads, so a full pipe never stalls it and no thread of the bench's pool is held. A reader blocked
    /// on each server's pipe took a worker each from the load generator's pool (two cores, so few workers), which
    /// starved for up to a second at a time: turns queued in the bench and were timed as slow while both servers sat
    /// idle.
    /// </summary>
    public static Process Start(ProcessStartInfo start, Regex listening, string name, out Uri url,
        Action<string>? error = null)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        KillOnInterrupt(process);
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) address.TrySetException(new InvalidOperationException($"{name} did not start."));
            else if (listening.Match(e.Data) is { Success: true } m) address.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) error?.Invoke(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        url = address.Task.GetAwaiter().GetResult();
        return process;
    }

    /// <summary>
    /// Stops <paramref name="process"/> (SIGSTOP) until the result is disposed (SIGCONT), so a server not being
    /// measured does nothing meanwhile. On two cores a peer's own idle work lands on the other's round: Node's
    /// garbage collection after a busy spell took most of a core for 100–200 ms at a time, every few seconds, and
    /// each time the server being measured answered 40–60 ms late.
    /// </summary>
    public static IDisposable Paused(Process process)
    {
        // A process that has exited may have given its id to another: only a running one is signalled.
        if (process.HasExited)
            throw new InvalidOperationException(
                $"{process.StartInfo.FileName} (process {process.Id}) exited with {process.ExitCode}.");
        if (kill(process.Id, Stop) != 0)
            throw new InvalidOperationException(
                $"Could not stop process {process.Id}: error {Marshal.GetLastPInvokeError()}.");
        return new Resume(process);
    }

    // Best effort: a server that died meanwhile needs no resuming (and its id may be another process's by now), and
    // the round's own error is the one to see.
    private sealed class Resume(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited) kill(process.Id, Continue);
        }
    }

    /// <summary>Asks <paramref name="process"/> to stop (SIGTERM) as an operator would, unless it has exited.</summary>
    public static void Terminate(Process process)
    {
        if (!process.HasExited) kill(process.Id, Term);
    }

    // Linux numbers them 19 and 18; macOS and the BSDs 17 and 19. SIGTERM is 15 on all.
    private static readonly int Stop = OperatingSystem.IsLinux() ? 19 : 17;
    private static readonly int Continue = OperatingSystem.IsLinux() ? 18 : 19;
    private const int Term = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>
    /// Runs <paramref name="cleanup"/> if the bench is interrupted (Ctrl+C, SIGTERM, SIGHUP, SIGQUIT), latest first,
    /// before the bench ends as the signal would end it. Servers started here are killed that way: without it, a server
    /// stopped for another's round stayed stopped for good, holding its port and its files, and the others ran on.
    /// </summary>
    /// <returns>Disposed once the cleanup is no longer needed: it is forgotten.</returns>
    public static IDisposable OnInterrupt(Action cleanup)
    {
        lock (Gate) Cleanups.Add(cleanup);
        return new Forget(cleanup);
    }

    /// <summary>Kills <paramref name="process"/> and its children if the bench is interrupted first.</summary>
    public static void KillOnInterrupt(Process process)
    {
        var registered = OnInterrupt(() => process.Kill(entireProcessTree: true));
        process.Disposed += (_, _) => registered.Dispose();
    }

    private sealed class Forget(Action cleanup) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate) Cleanups.Remove(cleanup);
        }
    }

    private static readonly Lock Gate = new();
    private static readonly List<Action> Cleanups = [];

    private static readonly PosixSignalRegistration[] Signals =
    [
        .. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, _ => Interrupted())),
    ];

    private static void Interrupted()
    {
        Action[] cleanups;
        lock (Gate) cleanups = [.. Enumerable.Reverse(Cleanups)];
        foreach (var cleanup in cleanups)
        {
            // Whatever one of them does, the rest still run and the bench ends as the signal would end it.
            try { cleanup(); }
            catch (Exception ex) { Console.Error.WriteLine($"A cleanup after the interrupt failed: {ex.Message}"); }
        }
    }
}
