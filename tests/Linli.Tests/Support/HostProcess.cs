using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Linli.Tests.Support;

/// <summary>
/// Linli as a real process on a real Kestrel port, as the README's run command starts it,
/// for what only a process can show: the file lock between processes, kill -9, restart.
/// </summary>
public sealed partial class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(string databasePath, string[] extraArgs)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Linli.Host.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[]
                 {
                     hostDll, "--urls", "http://127.0.0.1:0", "--contentRoot", RepoPaths.HostProject,
                     "--Storage:DatabasePath", databasePath, "--Demo:LastPeriod", LinliAppFactory.LastPeriod,
                     // Production, but the demo's codes go to the log, where the browser tests read them.
                     "--Sms:Provider", "Log", "--Demo:Seed", "true",
                 }.Concat(extraArgs))
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stdout) _stdout.AppendLine(e.Data);
            if (RunningLine().Match(e.Data) is { Success: true } m) _running.TrySetResult(new Uri(m.Groups[1].Value));
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Exited += (_, _) => _running.TrySetException(
            new InvalidOperationException($"Linli exited with {_process.ExitCode}:\n{Stderr}\n{Stdout}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <param name="extraArgs">More configuration as command-line pairs; later ones win.</param>
    public static HostProcess Start(string databasePath, params string[] extraArgs) => new(databasePath, extraArgs);

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>The base address once Linli says it is running.</summary>
    public Task<Uri> Running => _running.Task.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> ExitCode()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the power supply or the OOM killer ends it.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    [GeneratedRegex(@"Linli is running at (\S+?)/? — ")]
    private static partial Regex RunningLine();
}

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string HostProject => Path.Combine(Root, "src", "Linli.Host");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bot.sln"))) return dir.FullName;
        throw new InvalidOperationException("Bot.sln not found above " + AppContext.BaseDirectory);
    }
}
