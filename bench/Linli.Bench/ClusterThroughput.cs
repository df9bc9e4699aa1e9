using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace Linli.Bench;

/// <summary>
/// Linli as a city would run it, against Linli as an estate runs it, in one run: one instance on LiteDB, one on
/// PostgreSQL, two on PostgreSQL and Redis. For each: turns per second (16 residents, each posting over Direct Line
/// and waiting for the reply on their stream) and tea-table deliveries per second (viewers split over the instances,
/// posts made on the first). Needs LINLI_BENCH_POSTGRES (a server's connection string) and LINLI_BENCH_REDIS.
/// </summary>
public static class ClusterThroughput
{
    private const int Residents = 16;
    private static readonly TimeSpan TurnsFor = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(int viewers, int posts)
    {
        var server = Environment.GetEnvironmentVariable("LINLI_BENCH_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("LINLI_BENCH_REDIS");
        if (server is null || redis is null)
        {
            Console.Error.WriteLine("Set LINLI_BENCH_POSTGRES and LINLI_BENCH_REDIS "
                                    + "(scripts/test-servers start prints a server's LINLI_TEST_POSTGRES and REDIS).");
            return 2;
        }
        var results = new List<(string Name, double Turns, double Deliveries, double P99)>();
        foreach (var (name, instances, postgres) in new[] { ("LiteDB ×1", 1, false), ("PostgreSQL ×1", 1, true),
                     ("PostgreSQL ×2 + Redis", 2, true) })
        {
            using var dir = new BenchHost.TempFolder();
            var database = postgres ? CreateDatabase(server) : null;
            string[] args = postgres
                ? ["--Storage:Provider", "PostgreSQL", "--ConnectionStrings:Postgres", database!,
                   "--ConnectionStrings:Redis", redis, "--Cluster:Name", "bench" + Guid.NewGuid().ToString("N")[..6],
                   "--TeaTable:MaxPostsPerMinute", "1000000"]
                : ["--TeaTable:MaxPostsPerMinute", "1000000"];
            var processes = new List<Process>();
            try
            {
                var urls = new List<Uri>();
                for (var i = 0; i < instances; i++)
                {
                    processes.Add(BenchHost.Start(dir.Path, out var url, args));
                    urls.Add(url);
                }
                var turns = await TurnsPerSecondAsync(urls);
                var (deliveries, p99) = await DeliveriesAsync(urls, viewers, posts);
                results.Add((name, turns, deliveries, p99));
                Console.WriteLine($"{name,-24} {turns,8:F0} turns/s {deliveries,8:F0} deliveries/s  p99 {p99:F1} ms");
            }
            finally
            {
                foreach (var p in processes)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }
                if (database is not null) DropDatabase(server, database);
            }
        }
        var baseline = results[0];
        foreach (var r in results)
            Console.WriteLine($"{r.Name,-24} turns ×{r.Turns / baseline.Turns:F2}  deliveries " +
                              $"×{r.Deliveries / baseline.Deliveries:F2}  p99 ×{r.P99 / baseline.P99:F2}" +
                              " of LiteDB ×1");
        return 0;
    }

    /// <summary>Residents on every instance in turn, each posting and waiting for the bot's reply, for 10 s.</summary>
    private static async Task<double> TurnsPerSecondAsync(List<Uri> urls)
    {
        var residents = await Task.WhenAll(
            Enumerable.Range(0, Residents).Select(i => Resident.StartAsync(urls[i % urls.Count])));
        for (var i = 0; i < 20; i++) await Task.WhenAll(residents.Select(r => r.TurnAsync()));   // warm-up
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(residents.Select(async r =>
        {
            while (clock.Elapsed < TurnsFor)
            {
                await r.TurnAsync();
                Interlocked.Increment(ref done);
            }
        }));
        var rate = done / clock.Elapsed.TotalSeconds;
        foreach (var r in residents) await r.DisposeAsync();
        return rate;
    }

    /// <summary>One thread, viewers spread over the instances, posts from the first: deliveries/s and p99 ms.</summary>
    private static async Task<(double PerSecond, double P99)> DeliveriesAsync(List<Uri> urls, int viewers, int posts)
    {
        var cookies = new System.Net.CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = urls[0] };
        await BenchHost.SignInAsync(http, "volunteer1");
        var created = await http.PostAsJsonAsync("/api/tea/threads", new { title = "压测", text = "fan-out" });
        var thread = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var cookie = cookies.GetCookieHeader(urls[0]);

        var sent = new Dictionary<string, long>();
        var latencies = new List<double>(viewers * posts);
        var connections = new List<HubConnection>();
        for (var i = 0; i < viewers; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(urls[i % urls.Count], "hubs/tea"), o =>
                {
                    o.Headers["Cookie"] = cookie;
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                })
                .Build();
            connection.On<JsonElement>("PostAdded", post =>
            {
                var now = Stopwatch.GetTimestamp();
                var html = post.GetProperty("html").GetString()!;
                lock (latencies)
                    foreach (var (marker, at) in sent)
                        if (html.Contains(marker, StringComparison.Ordinal))
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                            break;
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
            var marker = $"m{p}-{Guid.NewGuid():N}";
            lock (latencies) sent[marker] = Stopwatch.GetTimestamp();
            var posted = await http.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", new { text = marker });
            posted.EnsureSuccessStatusCode();
            var wait = Stopwatch.StartNew();
            while (Count() < (p + 1) * viewers && wait.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(1);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var c in connections) await c.DisposeAsync();
        var sorted = latencies.Order().ToList();
        return (sorted.Count / seconds, sorted[(int)Math.Ceiling(0.99 * sorted.Count) - 1]);

        int Count()
        {
            lock (latencies) return latencies.Count;
        }
    }

    private static string CreateDatabase(string server)
    {
        var name = "linli_bench_" + Guid.NewGuid().ToString("N")[..8];
        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static void DropDatabase(string server, string database)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(server);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }

    /// <summary>A resident on the web chat: a Direct Line conversation and its stream, on one instance.</summary>
    private sealed class Resident : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private readonly ClientWebSocket _socket = new();
        private readonly string _conversation, _userId;
        private readonly Dictionary<string, TaskCompletionSource> _replies = [];
        private Task _reading = Task.CompletedTask;
        private int _count;

        private Resident(HttpClient http, string conversation, string userId) =>
            (_http, _conversation, _userId) = (http, conversation, userId);

        public static async Task<Resident> StartAsync(Uri url)
        {
            var http = new HttpClient { BaseAddress = url };
            var start = await (await http.PostAsJsonAsync("/api/chat/token", new { })).Content
                .ReadFromJsonAsync<JsonElement>();
            http.DefaultRequestHeaders.Authorization = new("Bearer", start.GetProperty("token").GetString());
            var conversation = await (await http.PostAsync("/v3/directline/conversations", null)).Content
                .ReadFromJsonAsync<JsonElement>();
            var resident = new Resident(http, conversation.GetProperty("conversationId").GetString()!,
                start.GetProperty("userId").GetString()!);
            await resident._socket.ConnectAsync(new Uri(conversation.GetProperty("streamUrl").GetString()!),
                CancellationToken.None);
            resident._reading = resident.ReadAsync();
            return resident;
        }

        /// <summary>Posts a message and returns when a reply to it has arrived on the stream.</summary>
        public async Task TurnAsync()
        {
            var text = $"测试 {Interlocked.Increment(ref _count)}";
            var posted = await _http.PostAsJsonAsync($"/v3/directline/conversations/{_conversation}/activities",
                new { type = "message", text, from = new { id = _userId } });
            var id = (await posted.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("id").GetString()!;
            await Reply(id).Task.WaitAsync(TimeSpan.FromSeconds(30));
            lock (_replies) _replies.Remove(id);
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[1 << 20];
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        length += result.Count;
                    } while (!result.EndOfMessage);
                    if (result.MessageType == WebSocketMessageType.Close || length == 0) continue;
                    var activities = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement
                        .GetProperty("activities");
                    foreach (var a in activities.EnumerateArray())
                        if (a.TryGetProperty("replyToId", out var to)) Reply(to.GetString()!).TrySetResult();
                }
            }
            catch (WebSocketException) { }
        }

        /// <summary>The reply to an activity: waited for by its post, or arrived before the post's answer.</summary>
        private TaskCompletionSource Reply(string id)
        {
            lock (_replies)
                return _replies.TryGetValue(id, out var reply)
                    ? reply
                    : _replies[id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public async ValueTask DisposeAsync()
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); }
            catch (WebSocketException) { }
            await _reading;
            _http.Dispose();
        }
    }
}
