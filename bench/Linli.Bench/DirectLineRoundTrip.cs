using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;

namespace Linli.Bench;

/// <summary>
/// How long a resident waits: post a message over Direct Line and time until the bot's reply arrives on the
/// WebSocket stream, against Linli running as its own process on loopback. The baseline, measured in the
/// same run with the same client, is a plain GET /healthz.
/// </summary>
public static class DirectLineRoundTrip
{
    public static Task<int> RunAsync(int count) => BenchHost.RunAsync(url => MeasureAsync(url, count));

    private static async Task<int> MeasureAsync(Uri url, int count)
    {
        using var http = new HttpClient { BaseAddress = url };

        var tokenResponse = await http.PostAsJsonAsync("/api/chat/token", new { });
        var start = await tokenResponse.Content.ReadFromJsonAsync<JsonElement>();
        var token = start.GetProperty("token").GetString()!;
        var userId = start.GetProperty("userId").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        request.Headers.Authorization = new("Bearer", token);
        var conversation = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        var conversationId = conversation.GetProperty("conversationId").GetString()!;
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(conversation.GetProperty("streamUrl").GetString()!), CancellationToken.None);
        var replies = new Dictionary<string, TaskCompletionSource>();
        var reading = ReadRepliesAsync(socket, replies);

        async Task<double> PostOnce(int i)
        {
            var clock = Stopwatch.StartNew();
            var response = await http.PostAsJsonAsync($"/v3/directline/conversations/{conversationId}/activities",
                new { type = "message", text = $"测试 {i}", from = new { id = userId } });
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            TaskCompletionSource done;
            // The reply may have come on the stream before the post's answer: then it is waiting here already.
            lock (replies)
                done = replies.TryGetValue(id, out var seen) ? seen : replies[id] = new TaskCompletionSource();
            await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return clock.Elapsed.TotalMilliseconds;
        }

        async Task<double> HealthOnce()
        {
            var clock = Stopwatch.StartNew();
            (await http.GetAsync("/healthz")).EnsureSuccessStatusCode();
            return clock.Elapsed.TotalMilliseconds;
        }

        for (var i = 0; i < 50; i++) { await PostOnce(-i); await HealthOnce(); }   // warm-up
        var roundTrips = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < count; i++)
        {
            roundTrips.Add(await PostOnce(i));
            baseline.Add(await HealthOnce());
        }

        if (Environment.GetEnvironmentVariable("LINLI_BENCH_VERBOSE") is not null)
            for (var i = 0; i < count; i++)
                if (roundTrips[i] > 100 || baseline[i] > 100)
                    Console.WriteLine($"slow #{i}: post {roundTrips[i]:F0} ms, health {baseline[i]:F0} ms");
        BenchHost.Report("GET /healthz (baseline)", baseline, baseline);
        BenchHost.Report("Direct Line post → reply on stream", roundTrips, baseline);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await reading;
        return 0;
    }

    private static async Task ReadRepliesAsync(ClientWebSocket socket, Dictionary<string, TaskCompletionSource> replies)
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close || length == 0) continue;
                var activities = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.GetProperty("activities");
                foreach (var a in activities.EnumerateArray())
                {
                    if (!a.TryGetProperty("replyToId", out var replyTo)) continue;
                    lock (replies)
                    {
                        if (replies.TryGetValue(replyTo.GetString()!, out var waiting)) waiting.TrySetResult();
                        else replies[replyTo.GetString()!] = CompletedSource();
                    }
                }
            }
        }
        catch (WebSocketException) { }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var tcs = new TaskCompletionSource();
        tcs.SetResult();
        return tcs;
    }
}
