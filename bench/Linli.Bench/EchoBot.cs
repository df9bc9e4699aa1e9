using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Linli.Bench;

/// <summary>
/// Microsoft's botbuilder-js echo bot (bench/peers/echo-bot: npm botbuilder 4.23.3 on express), installed on first use
/// and started as its own Node process on loopback.
/// </summary>
public static partial class EchoBot
{
    public static Process Start(out Uri url)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Bot.sln"))) root = Path.GetDirectoryName(root)!;
        var folder = Path.Combine(root, "bench", "peers", "echo-bot");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
            Run(folder, "npm", "ci", "--no-audit", "--no-fund");
        var start = new ProcessStartInfo("node", "index.js")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["PORT"] = "0";
        return ServerProcess.Start(start, Listening(), "The echo bot (is Node.js installed?)", out url,
            line => Console.Error.WriteLine($"echo-bot: {line}"));
    }

    private static void Run(string folder, string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = folder };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed");
    }

    [GeneratedRegex(@"Now listening on: (\S+)")]
    private static partial Regex Listening();
}
