using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Linli.Bench;

/// <summary>
/// One tea-table thread with N live viewers (SignalR over WebSockets, one process, loopback): each post is timed from
/// the moment it is sent over HTTP until each viewer's PostAdded arrives. The baseline, same run: the same posts to
/// a single viewer. Reports p50/p99 delivery latency and deliveries per second.
/// </summary>
public static class TeaTableFanOut
{
    public static Task<int> RunAsync(int viewers, int posts) =>
        BenchHost.RunAsync(url => MeasureAsync(url, viewers, posts), "--TeaTable:MaxPostsPerMinute", "1000000");

    private static async Task<int> MeasureAsync(Uri url, int viewers, int posts)
    {
        var cookies = new System.Net.CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = url };
        await BenchHost.SignInAsync(http, "volunteer1");
        var created = await http.PostAsJsonAsync("/api/tea/threads", new { title = "压测", text = "fan-out" });
        var thread = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var single = await MeasureViewersAsync(url, cookies, http, thread, 1, posts);
        var many = await MeasureViewersAsync(url, cookies, http, thread, viewers, posts);
        Report("1 viewer (baseline)", single, single);
        Report($"{viewers} viewers", many, single);
        return 0;
    }

    private sealed record Run(List<double> Latencies, double DeliveriesPerSecond, int Expected);

    private static async Task<Run> MeasureViewersAsync(
        Uri url, System.Net.CookieContainer cookies, HttpClient http, int thread, int viewers, int posts)
    {
        var sent = new Dictionary<string, long>();
        var latencies = new List<double>(viewers * posts);
        var received = 0;
        var connections = new List<HubConnection>();
        for (var i = 0; i < viewers; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(url, "hubs/tea"), o =>
                {
                    o.Cookies = cookies;
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                })
                .Build();
            connection.On<JsonElement>("PostAdded", post =>
            {
                var now = Stopwatch.GetTimestamp();
                var html = post.GetProperty("html").GetString()!;
                lock (latencies)
                {
                    foreach (var (marker, at) in sent)
                        if (html.Contains(marker, StringComparison.Ordinal))
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                            received++;
                            break;
                        }
                }
            });
            connections.Add(connection);
        }
        foreach (var batch in connections.Chunk(50))
            await Task.WhenAll(batch.Select(async c =>
            {
                await c.StartAsync();
                await c.InvokeAsync<JsonElement>("Join", thread, int.MaxValue - 1);
            }));

        var clock = Stopwatch.StartNew();
        for (var p = 0; p < posts; p++)
        {
            var marker = $"m{viewers}-{p}-{Guid.NewGuid():N}";
            lock (latencies) sent[marker] = Stopwatch.GetTimestamp();
            var target = (p + 1) * viewers;
            var posted = await http.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = marker });
            posted.EnsureSuccessStatusCode();
            var wait = Stopwatch.StartNew();
            while (Volatile.Read(ref received) < target && wait.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(1);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var c in connections) await c.DisposeAsync();
        return new Run(latencies, received / seconds, viewers * posts);
    }

    private static void Report(string name, Run run, Run baseline)
    {
        double P(List<double> s, double q)
        {
            var sorted = s.Order().ToList();
            return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
        }
        var (p50, p99) = (P(run.Latencies, 0.5), P(run.Latencies, 0.99));
        var (baselineP50, baselineP99) = (P(baseline.Latencies, 0.5), P(baseline.Latencies, 0.99));
        Console.WriteLine($"{name,-22} delivered {run.Latencies.Count}/{run.Expected}  " +
                          $"p50={p50:F2} ms p99={p99:F2} ms " +
                          $"(×{p50 / baselineP50:F1} p50, ×{p99 / baselineP99:F1} p99 of baseline)  " +
                          $"{run.DeliveriesPerSecond:F0} deliveries/s");
    }
}
