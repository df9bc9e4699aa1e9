using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Linli.Bench;

/// <summary>
/// Turns per second on <c>POST /api/messages</c> with <c>deliveryMode: expectReplies</c>: Linli (routing, a dialog step,
/// state, transcripts, on its LiteDB file; each conversation reporting a repair and cancelling it, again and again) against Microsoft's botbuilder-js echo bot (no state), each its own process,
/// the same load from this one, alternating in rounds. Every request is a new activity id (a repeated id measures
/// duplicate detection instead), on the channel Azure's Web Chat speaks ("webchat": no Emulator traces). Then each at a
/// fixed half of its own rate, for latency without a queue; last, the echo bot once at half of Linli's rate.
/// </summary>
public static class TurnsVsEchoBot
{
    /// <summary>
    /// What each conversation says, over and over: a repair begun (routing, a dialog started), its first answer (a
    /// dialog step), then cancelled (the dialog ended): every turn reads and writes the conversation's state.
    /// </summary>
    private static readonly string[] Script = ["报修", "家里", "取消"];

    private const int PacedConversations = 64;

    public static async Task<int> RunAsync(int connections, int seconds, int rounds)
    {
        using var dir = new BenchHost.TempFolder();
        // Linli says how long it spent on each answer (Server-Timing), so its share of a turn's time is printed too.
        using var linli = BenchHost.Start(dir.Path, out var linliUrl, "--Telemetry:ServerTiming", "true");
        using var echo = EchoBot.Start(out var echoUrl);
        try
        {
            Server[] servers = [new("Linli", linliUrl, linli), new("botbuilder-js echo", echoUrl, echo)];
            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = connections, UseCookies = false, UseProxy = false,
            });
            // Paced turns come from 64 conversations, and the pool may open up to 64 connections to carry them (it
            // opens one when every open one is busy): through as few as the closed rounds' 16, a server that paused
            // for 40 ms would hold the 16 while the rest queued in this process, where its own timing cannot see them.
            using var pacedHttp = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = PacedConversations, UseCookies = false, UseProxy = false,
            });
            Console.WriteLine($"{connections} connections, {rounds} rounds of {seconds} s each, alternating; " +
                              $"{Environment.ProcessorCount} cores shared by both servers and this load");
            // Warmed up first, each for as long as a round: .NET's tiered compiler is still recompiling hot methods for
            // ten seconds and more after start, and a first round that does it too is not the server at work.
            var warmUp = TimeSpan.FromSeconds(Math.Max(seconds, 10));
            foreach (var server in servers) await Alone(server, () => server.ClosedAsync(http, connections, warmUp));
            for (var round = 0; round < rounds; round++)
                foreach (var server in servers)
                    server.Rounds.Add(await Alone(server,
                        () => server.ClosedAsync(http, connections, TimeSpan.FromSeconds(seconds))));

            foreach (var server in servers)
            {
                var best = server.Rounds.OrderBy(r => r.PerSecond).ElementAt(server.Rounds.Count / 2);
                Console.WriteLine($"{server.Name,-20} {best.PerSecond,8:F0} turns/s  mean {best.Mean,6:F1} ms  " +
                                  $"p99 {best.P99,6:F1} ms  server CPU {best.CpuPerTurn * 1e6,6:F0} µs/turn " +
                                  $"(median of {server.Rounds.Count} rounds: " +
                                  string.Join(", ", server.Rounds.Select(r => r.PerSecond.ToString("F0"))) + ")");
            }
            var (l, e) = (Median(servers[0]), Median(servers[1]));
            Console.WriteLine($"Linli / echo: turns/s ×{l.PerSecond / e.PerSecond:F2}, " +
                              $"server CPU per turn ×{l.CpuPerTurn / e.CpuPerTurn:F2}");

            // Latency at half of each one's own rate, paced (open loop), in alternating rounds as above: one round is
            // ten seconds of a machine the load shares, so each prints the median round and every round's p99. Each at
            // its own half: a server paced past what it can do builds seconds of backlog, and working it off would
            // fall on the other's next round.
            var rates = new Dictionary<Server, double>
            {
                [servers[0]] = l.PerSecond / 2, [servers[1]] = e.PerSecond / 2,
            };
            var paced = servers.ToDictionary(s => s, _ => new List<Paced>());
            for (var round = 0; round < rounds; round++)
                foreach (var server in servers)
                    paced[server].Add(await Alone(server,
                        () => server.PacedAsync(pacedHttp, rates[server], TimeSpan.FromSeconds(seconds))));
            foreach (var (server, runs) in paced)
                Print(server.Name, rates[server], runs);
            Console.WriteLine($"Linli / echo, each at half of its own rate: p99 " +
                              $"×{MedianRound(paced[servers[0]]).P99 / MedianRound(paced[servers[1]]).P99:F2}");
            // What Linli's half load does to the echo bot, once, after every round above.
            var echoAtLinlis = await Alone(servers[1],
                () => servers[1].PacedAsync(pacedHttp, rates[servers[0]], TimeSpan.FromSeconds(seconds)));
            Print(servers[1].Name, rates[servers[0]], [echoAtLinlis]);
            return 0;

            // Every round runs with the other server stopped (ServerProcess.Paused): what is timed is one server's
            // work and the load's, never the other's idle housekeeping. The server measured was itself stopped until
            // a moment ago, and gets two seconds to catch up with its clock (timers due, the thread pool's view of
            // time) before its round: without them, Linli's first paced round after a stop had a p99 of 0.5–3.6 s.
            async Task<T> Alone<T>(Server measured, Func<Task<T>> round)
            {
                var others = servers.Where(s => s != measured).Select(s => ServerProcess.Paused(s.Process)).ToList();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    return await round();
                }
                finally { others.ForEach(o => o.Dispose()); }
            }
        }
        finally
        {
            foreach (var process in new[] { linli, echo })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static void Print(string name, double rate, List<Paced> runs)
    {
        var median = MedianRound(runs);
        var each = string.Join(", ", runs.Select(r => r.P99.ToString("F1")));
        Console.WriteLine($"{name,-20} at {rate:F0}/s: p50 {median.P50:F1} ms  p99 {median.P99:F1} ms  " +
                          $"(median of {runs.Count} rounds by p99: {each} ms; " +
                          $"{runs.Sum(r => r.Count)} turns, {runs.Sum(r => r.Failed)} failed)");
        // How much of the two cores the round took, and whose: a tail is partly the wait for a core.
        Console.WriteLine($"{"",-20}   CPU per turn: server {runs.Average(r => r.ServerCpu) * 1e6:F0} µs, " +
                          $"this load {runs.Average(r => r.LoadCpu) * 1e6:F0} µs; " +
                          $"the two used {runs.Average(r => r.Busy):P0} of the {Environment.ProcessorCount} cores");
        if (runs.All(r => double.IsNaN(r.ServerP99))) return;
        // What the server said it spent (Server-Timing): the rest of a turn's time is loopback, the kernel's queues,
        // the load's own process and the wait for a core.
        Console.WriteLine($"{"",-20}   in the server (Server-Timing) p99 of the same rounds: " +
                          string.Join(", ", runs.Select(r => r.ServerP99.ToString("F1"))) + " ms");
    }

    /// <summary>The round whose p99 is the median of the rounds'.</summary>
    private static Paced MedianRound(List<Paced> runs) => runs.OrderBy(r => r.P99).ElementAt(runs.Count / 2);

    private static Round Median(Server server) =>
        server.Rounds.OrderBy(r => r.PerSecond).ElementAt(server.Rounds.Count / 2);

    private sealed record Round(double PerSecond, double Mean, double P99, double CpuPerTurn);

    /// <param name="ServerCpu">The server's CPU seconds per turn in the round.</param>
    /// <param name="LoadCpu">This process's CPU seconds per turn: the load's own share of the cores.</param>
    /// <param name="Busy">
    /// The share of the machine's cores the two used (the kernel's loopback work not all counted).
    /// </param>
    private sealed record Paced(
        int Count, int Failed, double P50, double P99, double ServerP99, double ServerCpu, double LoadCpu, double Busy);

    private sealed class Server(string name, Uri url, Process process)
    {
        private long _ids;

        public string Name => name;
        public Process Process => process;
        public List<Round> Rounds { get; } = [];

        /// <summary>Each connection sends its next turn as soon as the last is answered.</summary>
        public async Task<Round> ClosedAsync(HttpClient http, int connections, TimeSpan length)
        {
            var latencies = new List<double>[connections];
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
            {
                var mine = latencies[c] = [];
                while (clock.Elapsed < length)
                {
                    var started = Stopwatch.GetTimestamp();
                    await TurnAsync(http, $"bench-{c}", Script[mine.Count % Script.Length]);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }));
            var elapsed = clock.Elapsed.TotalSeconds;
            process.Refresh();
            var used = (process.TotalProcessorTime - cpu).TotalSeconds;
            var all = latencies.SelectMany(l => l).Order().ToList();
            return new Round(all.Count / elapsed, all.Average(), Percentile(all, 0.99), used / all.Count);
        }

        /// <summary>Turns started at a fixed rate whatever the answers (no coordinated omission).</summary>
        public async Task<Paced> PacedAsync(HttpClient http, double perSecond, TimeSpan length)
        {
            var count = (int)(perSecond * length.TotalSeconds);
            var latencies = new double[count];
            var inServer = new double[count];
            var failed = 0;
            using var load = Process.GetCurrentProcess();
            process.Refresh();
            var (serverCpu, loadCpu) = (process.TotalProcessorTime, load.TotalProcessorTime);
            var clock = Stopwatch.StartNew();
            var turns = new List<Task>(count);
            for (var i = 0; i < count; i++)
            {
                var due = TimeSpan.FromSeconds(i / perSecond);
                await clock.UntilAsync(due);
                var index = i;
                turns.Add(Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    // 64 conversations, each saying its lines in order (one turn at a time: 64 apart).
                    try
                    {
                        inServer[index] =
                            await TurnAsync(http, $"paced-{index % PacedConversations}",
                                Script[index / PacedConversations % Script.Length]);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref failed);
                        inServer[index] = double.NaN;
                    }
                    latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }));
            }
            await Task.WhenAll(turns);
            process.Refresh();
            load.Refresh();
            var (serverUsed, loadUsed) = (process.TotalProcessorTime - serverCpu, load.TotalProcessorTime - loadCpu);
            var busy = (serverUsed + loadUsed) / (clock.Elapsed * Environment.ProcessorCount);
            var sorted = latencies.Order().ToList();
            var server = inServer.Where(s => !double.IsNaN(s)).Order().ToList();
            return new Paced(count, failed, Percentile(sorted, 0.5), Percentile(sorted, 0.99),
                server.Count == 0 ? double.NaN : Percentile(server, 0.99),
                serverUsed.TotalSeconds / count, loadUsed.TotalSeconds / count, busy);
        }

        /// <summary>One turn; what the server said it spent on it (Server-Timing), or NaN if it did not say.</summary>
        private async Task<double> TurnAsync(HttpClient http, string conversation, string text)
        {
            var id = Interlocked.Increment(ref _ids);
            var body = $$$"""
                {"type":"message","id":"m{{{id}}}","text":"{{{text}}}","channelId":"webchat","locale":"zh-CN",
                 "serviceUrl":"http://127.0.0.1:9","deliveryMode":"expectReplies","from":{"id":"u-{{{conversation}}}"},
                 "recipient":{"id":"bot"},"conversation":{"id":"{{{conversation}}}"}}
                """;
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(url, "api/messages"), content);
            var answer = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || !answer.Contains("\"activities\"", StringComparison.Ordinal))
                throw new HttpRequestException($"{name} answered {(int)response.StatusCode}: {answer}");
            return response.Headers.TryGetValues("Server-Timing", out var timing) ? AppDuration(timing) : double.NaN;
        }
    }

    /// <summary>
    /// The <c>dur</c> of the first <c>app</c> metric in Server-Timing header values, or NaN if it gives none as a
    /// finite number. W3C Server Timing: metrics separated by commas, parameters by semicolons, names without case,
    /// spaces around <c>=</c>, values tokens or quoted strings, the first <c>dur</c> the one that counts
    /// (<c>app;dur=1.23</c>, <c>db;desc="a, b";dur=0.4, App; Dur = "1.2"</c>).
    /// </summary>
    public static double AppDuration(IEnumerable<string> values)
    {
        foreach (var metric in values.SelectMany(v => Split(v, ',')))
        {
            var parts = Split(metric, ';');
            if (!parts[0].Equals("app", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var part in parts.Skip(1))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0 || !part[..equals].Trim().Equals("dur", StringComparison.OrdinalIgnoreCase)) continue;
                var value = part[(equals + 1)..].Trim().Trim('"');
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                       && double.IsFinite(ms) ? ms : double.NaN;
            }
            return double.NaN;
        }
        return double.NaN;
    }

    /// <summary>The parts of <paramref name="text"/> between separators outside quoted strings, trimmed.</summary>
    private static List<string> Split(string text, char separator)
    {
        var parts = new List<string>();
        var (start, quoted) = (0, false);
        for (var i = 0; i < text.Length; i++)
        {
            if (quoted && text[i] == '\\') i++;
            else if (text[i] == '"') quoted = !quoted;
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        parts.Add(text[start..].Trim());
        return parts;
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
}
