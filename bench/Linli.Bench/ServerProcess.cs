using System.Diagnostics;
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
        Signal(process, "STOP");
        return new Resume(process);
    }

    private sealed class Resume(Process process) : IDisposable
    {
        // Best effort: a server that died meanwhile needs no resuming, and the round's own error is the one to see.
        public void Dispose()
        {
            try { if (!process.HasExited) Signal(process, "CONT"); }
            catch (InvalidOperationException) when (process.HasExited) { }
        }
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {process.Id}"))
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {process.Id} failed.");
    }
}
