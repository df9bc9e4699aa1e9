using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Linli.Bench;

/// <summary>
/// Many idle connections on one instance: Direct Line conversations with their WebSocket streams open and tea-table
/// viewers on one thread, what each costs the server in memory (and idle CPU), against plain ASP.NET Core WebSockets
/// and a bare SignalR hub (<see cref="BareHub"/>) holding as many; and the round trip of a few active conversations
/// among them, against the same conversations before the idle ones came.
/// </summary>
public static class IdleConnections
{
    private sealed record Held(double SocketBytes, double ViewerBytes, double IdleCpuPerSecond);

    public static async Task<int> RunAsync(int sockets, int viewers, int active, int seconds)
    {
        using var dir = new BenchHost.TempFolder();
        using var linli = BenchHost.Start(dir.Path, out var url,
            "--TeaTable:MaxPostsPerMinute", "1000000", "--RateLimits:writes:PermitLimit", "1000000");
        using var bare = BareHub.Start(out var bareUrl);
        var opened = new List<IAsyncDisposable>();
        try
        {
            Console.WriteLine($"{sockets} idle Direct Line streams, {viewers} idle tea-table viewers; {active} " +
                              $"conversations each sending a message a second for {seconds} s; " +
                              $"{Environment.ProcessorCount} cores shared by the servers and this client");
            var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
            using var http = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
            var residents = await OpenAsync(active, 20, () => DirectLineClient.OpenAsync(http));
            opened.AddRange(residents);
            await TalkAsync(residents, 3); // warm-up
            var alone = await TalkAsync(residents, seconds);

            var idle = new List<IAsyncDisposable>();
            opened.Add(new Closing(idle));
            var linliHeld = await HoldAsync("Linli", linli, idle, sockets,
                async () => await DirectLineClient.OpenAsync(http), viewers, await TeaViewers(url));
            var among = await TalkAsync(residents, seconds);
            await CloseAsync(idle); // the client's own sockets are limited too
            var bareHeld = await HoldAsync("bare", bare, idle, sockets, () => PlainSocket(bareUrl),
                viewers, () => BareViewer(bareUrl));

            Console.WriteLine($"{"",-34} {"Linli",11} {"bare",11}");
            if (sockets > 0)
                Row("memory per idle WebSocket", linliHeld.SocketBytes / 1e3, bareHeld.SocketBytes / 1e3, "KB",
                    "Linli / bare");
            if (viewers > 0)
                Row("memory per idle viewer", linliHeld.ViewerBytes / 1e3, bareHeld.ViewerBytes / 1e3, "KB",
                    "Linli / bare");
            Row("server CPU while all idle", linliHeld.IdleCpuPerSecond * 1e3, bareHeld.IdleCpuPerSecond * 1e3, "ms/s",
                "Linli / bare");
            Console.WriteLine(
                $"{active} conversations' round trip (post → reply on the stream), alone and among the idle:");
            Row("p50", among.P50, alone.P50, "ms", "among / alone");
            Row("p99", among.P99, alone.P99, "ms", "among / alone");
            return 0;
        }
        finally
        {
            await CloseAsync(opened);
            foreach (var process in new[] { linli, bare })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static void Row(string name, double first, double second, string unit, string ratio) =>
        Console.WriteLine($"{name,-34} {first,7:F1} {unit,-4}{second,7:F1} {unit,-4} ×{first / second:F2} {ratio}");

    /// <summary>Opens the idle sockets, then the idle viewers, measuring the server's memory after each; then its CPU
    /// over ten idle seconds.</summary>
    private static async Task<Held> HoldAsync(string name, Process server, List<IAsyncDisposable> opened, int sockets,
        Func<Task<IAsyncDisposable>> socket, int viewers, Func<Task<IAsyncDisposable>> viewer)
    {
        var before = await SettledMemoryAsync(server);
        var clock = Stopwatch.StartNew();
        opened.AddRange(await OpenAsync(sockets, 50, socket));
        var afterSockets = await SettledMemoryAsync(server);
        var socketsTook = clock.Elapsed;
        clock.Restart();
        opened.AddRange(await OpenAsync(viewers, 50, viewer));
        var afterViewers = await SettledMemoryAsync(server);
        Console.WriteLine($"{name}: opened {sockets} sockets in {socketsTook.TotalSeconds:F1} s, " +
                          $"{viewers} viewers in {clock.Elapsed.TotalSeconds:F1} s; " +
                          $"working set {before / 1e6:F0} → " +
                          $"{afterSockets / 1e6:F0} → {afterViewers / 1e6:F0} MB");
        // Idle means after what the arrivals set off has settled: five seconds later, for ten seconds.
        await Task.Delay(5000);
        server.Refresh();
        var cpu = server.TotalProcessorTime;
        await Task.Delay(10_000);
        server.Refresh();
        return new Held((afterSockets - before) / Math.Max(1, sockets),
            (afterViewers - afterSockets) / Math.Max(1, viewers), (server.TotalProcessorTime - cpu).TotalSeconds / 10);
    }

    private static async Task CloseAsync(List<IAsyncDisposable> connections)
    {
        foreach (var batch in connections.Chunk(200)) await Task.WhenAll(batch.Select(c => c.DisposeAsync().AsTask()));
        connections.Clear();
    }

    private sealed class Closing(List<IAsyncDisposable> connections) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await CloseAsync(connections);
    }

    private static async Task<long> SettledMemoryAsync(Process server)
    {
        await Task.Delay(2000);
        server.Refresh();
        return server.WorkingSet64;
    }

    private static async Task<List<T>> OpenAsync<T>(int count, int atOnce, Func<Task<T>> open)
    {
        var all = new List<T>(count);
        for (var done = 0; done < count; done += atOnce)
            all.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(atOnce, count - done)).Select(_ => open())));
        return all;
    }

    private sealed record Talk(double P50, double P99);

    /// <summary>Each conversation sends a message a second (the next waits for the reply), so many seconds.
    /// </summary>
    private static async Task<Talk> TalkAsync(List<DirectLineClient> residents, int seconds)
    {
        var samples = new List<double>();
        var spread = TimeSpan.FromSeconds(1.0 / residents.Count);
        await Task.WhenAll(residents.Select(async (resident, i) =>
        {
            await Task.Delay(spread * i);
            var clock = Stopwatch.StartNew();
            for (var n = 0; n < seconds; n++)
            {
                var due = TimeSpan.FromSeconds(n);
                await clock.UntilAsync(due);
                var took = await resident.RoundTripAsync($"测试 {n}");
                lock (samples) samples.Add(took);
            }
        }));
        var sorted = samples.Order().ToList();
        return new Talk(sorted[sorted.Count / 2], sorted[(int)Math.Ceiling(0.99 * sorted.Count) - 1]);
    }

    private static async Task<Func<Task<IAsyncDisposable>>> TeaViewers(Uri url)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = url };
        await BenchHost.SignInAsync(http, "volunteer1");
        var created = await http.PostAsJsonAsync("/api/tea/threads", new { title = "空闲", text = "idle viewers" });
        var thread = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        return async () =>
        {
            var viewer = Hub(new Uri(url, "hubs/tea"), cookies);
            await viewer.StartAsync();
            await viewer.InvokeAsync<JsonElement>("Join", thread, int.MaxValue - 1);
            return viewer;
        };
    }

    private static async Task<IAsyncDisposable> BareViewer(Uri url)
    {
        var viewer = Hub(new Uri(url, "hub"));
        await viewer.StartAsync();
        await viewer.InvokeAsync("Join");
        return viewer;
    }

    private static HubConnection Hub(Uri url, CookieContainer? cookies = null) =>
        new HubConnectionBuilder().WithUrl(url, o =>
        {
            if (cookies is not null) o.Cookies = cookies;
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
        }).Build();

    private static async Task<IAsyncDisposable> PlainSocket(Uri url)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{url.Authority}/ws"), CancellationToken.None);
        return new PlainClient(socket, ReadAsync(socket));
    }

    private static async Task ReadAsync(ClientWebSocket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType
                   != WebSocketMessageType.Close) { }
        }
        catch (WebSocketException) { }
    }

    private sealed class PlainClient(ClientWebSocket socket, Task reading) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                await reading.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException) { }
            socket.Dispose();
        }
    }
}
