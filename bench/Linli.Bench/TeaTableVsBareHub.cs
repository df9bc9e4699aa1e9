using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Bench;

/// <summary>
/// The tea table (sign-in, a post kept and sanitized, presence) against a bare SignalR hub (<see cref="BareHub"/>),
/// each its own process, the same viewers (the .NET SignalR client over WebSockets, in this process) and the same
/// posts a second, alternating in rounds. Prints each one's delivery p50/p99 and server CPU per delivery, with the
/// ratios; what connecting the viewers cost each (wall time, server CPU, memory per viewer); and what each server
/// spends a second with every viewer connected and nothing said.
/// </summary>
public static class TeaTableVsBareHub
{
    /// <summary>Viewers speak MessagePack to both servers, not JSON.</summary>
    private static bool MessagePack { get; set; }

    public static async Task<int> RunAsync(int viewers, int seconds, int rounds, int perSecond, bool messagePack)
    {
        MessagePack = messagePack;
        using var dir = new BenchHost.TempFolder();
        using var linli = BenchHost.Start(dir.Path, out var linliUrl,
            "--TeaTable:MaxPostsPerMinute", "1000000", "--RateLimits:writes:PermitLimit", "1000000");
        using var bare = BareHub.Start(out var bareUrl);
        var sides = new List<Side>();
        try
        {
            Console.WriteLine($"{viewers} viewers ({(messagePack ? "MessagePack" : "JSON")}), {perSecond} posts/s " +
                              $"for {seconds} s, {rounds} rounds, alternating; " +
                              $"{Environment.ProcessorCount} cores shared by both servers and the viewers");
            sides.Add(await TeaTable.OpenAsync(linliUrl, linli, viewers));
            sides.Add(await Bare.OpenAsync(bareUrl, bare, viewers));
            foreach (var side in sides)
                Console.WriteLine($"{side.Name,-18} connecting {viewers} viewers: {side.Connect.Wall.TotalSeconds:F1} s, " +
                                  $"server CPU {side.Connect.Cpu.TotalSeconds:F1} s; memory idle " +
                                  $"{side.Connect.IdleBytes / 1e6:F0} MB, then {side.Connect.ViewingBytes / 1e6:F0} MB " +
                                  $"({(side.Connect.ViewingBytes - side.Connect.IdleBytes) / 1e3 / viewers:F0} KB " +
                                  "a viewer); " +
                                  $"quiet, {side.Connect.QuietCpuPerSecond.TotalMilliseconds:F0} ms of CPU a second");

            // A round each first, not counted: .NET's tiered compiler is still recompiling the tea table's hot paths
            // (perf: a sixth of Linli's CPU in the first rounds), and a warm-up round is not the server at work.
            foreach (var side in sides) await side.RoundAsync(rounds, seconds, perSecond);
            for (var round = 0; round < rounds; round++)
                foreach (var side in sides)
                    side.Rounds.Add(await side.RoundAsync(round, seconds, perSecond));

            foreach (var side in sides)
            {
                var r = Median(side);
                Console.WriteLine($"{side.Name,-18} delivered {r.Delivered}/{r.Expected}  p50 {r.P50,6:F1} ms  " +
                                  $"p99 {r.P99,6:F1} ms  server CPU {r.CpuPerDelivery * 1e6,5:F1} µs/delivery " +
                                  $"(medians of {side.Rounds.Count} rounds; p99: " +
                                  string.Join(", ", side.Rounds.Select(x => x.P99.ToString("F0"))) + " ms; CPU: " +
                                  string.Join(", ", side.Rounds.Select(x => (x.CpuPerDelivery * 1e6).ToString("F1"))) +
                                  " µs)");
            }
            var (tea, hub) = (Median(sides[0]), Median(sides[1]));
            Console.WriteLine($"tea table / bare hub: p99 ×{tea.P99 / hub.P99:F2}, p50 ×{tea.P50 / hub.P50:F2}, " +
                              $"server CPU per delivery ×{tea.CpuPerDelivery / hub.CpuPerDelivery:F2}");
            return 0;
        }
        finally
        {
            foreach (var side in sides) await side.DisposeAsync();
            foreach (var process in new[] { linli, bare })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    /// <summary>
    /// Each figure its own median over the rounds: the round with the median p99 (its p50 and count with it), and
    /// apart from it the median CPU per delivery. The CPU moves from round to round (1,000 viewers, seven rounds:
    /// 12.4–15.9 µs) with how the load's bursts meet the server's threads, and one round's own figure, the median
    /// p99's, was as noisy as any one round.
    /// </summary>
    private static Round Median(Side side)
    {
        var byP99 = side.Rounds.OrderBy(r => r.P99).ElementAt(side.Rounds.Count / 2);
        var cpu = side.Rounds.Select(r => r.CpuPerDelivery).Order().ElementAt(side.Rounds.Count / 2);
        return byP99 with { CpuPerDelivery = cpu };
    }

    private sealed record Connecting(TimeSpan Wall, TimeSpan Cpu, long IdleBytes, long ViewingBytes,
        TimeSpan QuietCpuPerSecond);

    private sealed record Round(int Delivered, int Expected, double P50, double P99, double CpuPerDelivery);

    /// <summary>One server with its viewers: posts carry "#round-n#", each viewer times the post's arrival.</summary>
    private abstract class Side(string name, Process process) : IAsyncDisposable
    {
        public string Name => name;
        public List<Round> Rounds { get; } = [];
        public Connecting Connect { get; private set; } = null!;
        protected readonly List<HubConnection> Viewers = [];
        private long[] _sentAt = [];
        private readonly List<double> _latencies = [];
        private int _round = -1;

        protected abstract HubConnection Viewer();
        protected abstract Task JoinAsync(HubConnection viewer);
        protected abstract Task PostAsync(string text);

        protected async Task ConnectAsync(int viewers)
        {
            await Task.Delay(1000);
            var idle = Memory();
            var cpu = Cpu();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < viewers; i++) Viewers.Add(Viewer());
            foreach (var batch in Viewers.Chunk(50))
                await Task.WhenAll(batch.Select(async v =>
                {
                    await v.StartAsync();
                    await JoinAsync(v);
                }));
            var (wall, used) = (clock.Elapsed, Cpu() - cpu);
            await Task.Delay(1000);
            // What the server spends with every viewer connected and nothing said: its share of each round's CPU.
            var quiet = Cpu();
            await Task.Delay(TimeSpan.FromSeconds(5));
            Connect = new Connecting(wall, used, idle, Memory(), (Cpu() - quiet) / 5);
        }

        private long Memory()
        {
            process.Refresh();
            return process.WorkingSet64;
        }

        private TimeSpan Cpu()
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }

        /// <summary>What a viewer calls with the text or page it got.</summary>
        protected void Arrived(string text)
        {
            var now = Stopwatch.GetTimestamp();
            var start = text.IndexOf('#');
            var dash = start < 0 ? -1 : text.IndexOf('-', start);
            var end = dash < 0 ? -1 : text.IndexOf('#', dash);
            if (end < 0 || !int.TryParse(text.AsSpan(start + 1, dash - start - 1), out var round) ||
                !int.TryParse(text.AsSpan(dash + 1, end - dash - 1), out var n))
                return;
            lock (_latencies)
                if (round == _round && n < _sentAt.Length && _sentAt[n] > 0)
                    _latencies.Add(Stopwatch.GetElapsedTime(_sentAt[n], now).TotalMilliseconds);
        }

        public async Task<Round> RoundAsync(int round, int seconds, int perSecond)
        {
            var posts = seconds * perSecond;
            lock (_latencies)
            {
                _round = round;
                _sentAt = new long[posts];
                _latencies.Clear();
            }
            var expected = posts * Viewers.Count;
            var cpu = Cpu();
            var clock = Stopwatch.StartNew();
            for (var n = 0; n < posts; n++)
            {
                var due = TimeSpan.FromSeconds((double)n / perSecond);
                await clock.UntilAsync(due);
                lock (_latencies) _sentAt[n] = Stopwatch.GetTimestamp();
                await PostAsync($"茶桌 #{round}-{n}# 测试");
            }
            var wait = Stopwatch.StartNew();
            while (Count() < expected && wait.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(10);
            var used = (Cpu() - cpu).TotalSeconds;
            List<double> sorted;
            lock (_latencies) sorted = [.. _latencies.Order()];
            await Task.Delay(500);
            return new Round(sorted.Count, expected, Percentile(sorted, 0.5), Percentile(sorted, 0.99),
                used / Math.Max(1, sorted.Count));
        }

        private int Count()
        {
            lock (_latencies) return _latencies.Count;
        }

        public virtual async ValueTask DisposeAsync()
        {
            foreach (var batch in Viewers.Chunk(100)) await Task.WhenAll(batch.Select(v => v.DisposeAsync().AsTask()));
        }

        protected static HubConnection Connection(Uri url, System.Net.CookieContainer? cookies = null)
        {
            var builder = new HubConnectionBuilder().WithUrl(url, o =>
            {
                if (cookies is not null) o.Cookies = cookies;
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            });
            return (MessagePack ? builder.AddMessagePackProtocol() : builder).Build();
        }
    }

    /// <summary>Linli's tea table: a volunteer's thread, viewers signed in, posts made over HTTP as the page does.</summary>
    private sealed class TeaTable(Uri url, Process process, HttpClient http, System.Net.CookieContainer cookies,
        int thread) : Side("Linli tea table", process)
    {
        public static async Task<TeaTable> OpenAsync(Uri url, Process process, int viewers)
        {
            var cookies = new System.Net.CookieContainer();
            var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = url };
            await BenchHost.SignInAsync(http, "volunteer1");
            var created = await http.PostAsJsonAsync("/api/tea/threads", new { title = "压测", text = "fan-out" });
            var thread = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            var side = new TeaTable(url, process, http, cookies, thread);
            await side.ConnectAsync(viewers);
            return side;
        }

        protected override HubConnection Viewer()
        {
            var viewer = Connection(new Uri(url, "hubs/tea"), cookies);
            viewer.On<PostSeen>("PostAdded", post => Arrived(post.Html));
            return viewer;
        }

        protected override Task JoinAsync(HubConnection viewer) =>
            viewer.InvokeAsync<object>("Join", thread, int.MaxValue - 1);

        protected override async Task PostAsync(string text)
        {
            using var posted = await http.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text });
            if (!posted.IsSuccessStatusCode)
                throw new InvalidOperationException(
                    $"Posting answered {(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync()}");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            http.Dispose();
        }
    }

    /// <summary>The bare hub: viewers join its one group, a poster of its own invokes <c>Post</c>.</summary>
    private sealed class Bare(Uri url, Process process, HubConnection poster) : Side("bare SignalR hub", process)
    {
        public static async Task<Bare> OpenAsync(Uri url, Process process, int viewers)
        {
            var poster = Connection(new Uri(url, "hub"));
            await poster.StartAsync();
            var side = new Bare(url, process, poster);
            await side.ConnectAsync(viewers);
            return side;
        }

        protected override HubConnection Viewer()
        {
            var viewer = Connection(new Uri(url, "hub"));
            viewer.On<string>("Posted", Arrived);
            return viewer;
        }

        protected override Task JoinAsync(HubConnection viewer) => viewer.InvokeAsync("Join");

        protected override Task PostAsync(string text) => poster.InvokeAsync("Post", text);

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await poster.DisposeAsync();
        }
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
}

/// <summary>What a viewer reads of a tea-table post (public: MessagePack's resolver makes formatters for public types).
/// </summary>
public sealed class PostSeen
{
    public string Html { get; set; } = "";
}
