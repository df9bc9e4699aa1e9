using System.Net.Http.Json;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Linli.Bench;

/// <summary>
/// Linli as its own process on loopback for the latency harnesses, and how they report (ratios to a same-run baseline).
/// </summary>
public static partial class BenchHost
{
    public static void Report(string name, List<double> samples, List<double> baseline)
    {
        double P(List<double> s, double q)
        {
            var sorted = s.Order().ToList();
            return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
        }
        var (median, p99) = (P(samples, 0.5), P(samples, 0.99));
        Console.WriteLine($"{name,-40} n={samples.Count} median={median:F2} ms p99={p99:F2} ms " +
                          $"(×{median / P(baseline, 0.5):F1} median, ×{p99 / P(baseline, 0.99):F1} p99 of baseline)");
    }

    /// <summary>
    /// Signs a demo account in as production requires: the demo password, then a password of its own before anything
    /// else.
    /// </summary>
    public static async Task SignInAsync(HttpClient http, string userName)
    {
        var signIn = await http.PostAsJsonAsync("/api/auth/signin", new { userName, password = "linli-demo" });
        signIn.EnsureSuccessStatusCode();
        var newPassword = new { current = "linli-demo", @new = "Bench-Only-Password-2026" };
        (await http.PostAsJsonAsync("/api/auth/password", newPassword)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Starts Linli on a fresh database in a temporary folder, measures against it, and stops it whatever happens.
    /// </summary>
    public static async Task<int> RunAsync(Func<Uri, Task<int>> measure, params string[] extraArgs)
    {
        using var dir = new TempFolder();
        using var host = Start(dir.Path, out var url, extraArgs);
        try
        {
            return await measure(url);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
    }

    public static Process Start(string dataFolder, out Uri url, params string[] extraArgs) =>
        ServerProcess.Start(StartInfo(dataFolder, extraArgs), RunningLine(), "Linli", out url);

    /// <summary>Linli's process on <paramref name="dataFolder"/>; a later <c>--urls</c> in the extras wins.</summary>
    public static ProcessStartInfo StartInfo(string dataFolder, params string[] extraArgs)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Bot.sln"))) root = Path.GetDirectoryName(root)!;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Linli.Host.dll"), "--urls", "http://127.0.0.1:0",
                     "--contentRoot", Path.Combine(root, "src", "Linli.Host"),
                     "--Storage:DatabasePath", Path.Combine(dataFolder, "linli.db"),
                     "--Logging:LogLevel:Default", "Warning", "--Demo:Seed", "true",
                     // The bench speaks /api/messages without an app id, from loopback, faster than any one client
                     // would.
                     "--BotFramework:AllowAnonymous", "true", "--BotFramework:ServiceUrlHosts:0", "127.0.0.1",
                     "--RateLimits:messages:PermitLimit", "10000000",
                     "--RateLimits:conversations:PermitLimit", "10000000",
                     "--RateLimits:chat:PermitLimit", "10000000", "--RateLimits:signin:PermitLimit", "10000000",
                 }.Concat(extraArgs))
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }

    [GeneratedRegex(@"Linli is running at (\S+?)/? — ")]
    private static partial Regex RunningLine();

    public sealed class TempFolder : IDisposable
    {
        private readonly IDisposable _onInterrupt;

        public TempFolder() => _onInterrupt = ServerProcess.OnInterrupt(Remove);

        public string Path { get; } = Directory.CreateTempSubdirectory("linli-bench-").FullName;

        public void Dispose()
        {
            _onInterrupt.Dispose();
            Remove();
        }

        private void Remove()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }
}
