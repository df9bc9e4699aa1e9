using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Linli.Bench;

/// <summary>
/// How soon staff see a report: a resident says "着火了" over Direct Line (a new conversation each time, so each
/// opens an emergency ticket at once) and the time runs until TicketCreated reaches an open staff console on the hub
/// (WebSockets), against Linli as its own process. Baseline, same client and run: GET /healthz.
/// </summary>
public static class ConsoleDelivery
{
    public static Task<int> RunAsync(int count) => BenchHost.RunAsync(url => MeasureAsync(url, count));

    private static async Task<int> MeasureAsync(Uri url, int count)
    {
        var cookies = new System.Net.CookieContainer();
        using var staff = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = url };
        await BenchHost.SignInAsync(staff, "manager");
        await using var console = new HubConnectionBuilder()
            .WithUrl(new Uri(url, "hubs/staff"), o =>
            {
                o.Cookies = cookies;
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        var created = Channel.CreateUnbounded<JsonElement>();
        console.On<JsonElement>("TicketCreated", t => created.Writer.TryWrite(t));
        await console.StartAsync();

        using var http = new HttpClient { BaseAddress = url };
        async Task<double> ReportOnce()
        {
            var tokenResponse = await http.PostAsJsonAsync("/api/chat/token", new { });
            var start = await tokenResponse.Content.ReadFromJsonAsync<JsonElement>();
            using var open = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
            open.Headers.Authorization = new("Bearer", start.GetProperty("token").GetString());
            var conversation = await (await http.SendAsync(open)).Content.ReadFromJsonAsync<JsonElement>();
            var conversationId = conversation.GetProperty("conversationId").GetString();
            var userId = start.GetProperty("userId").GetString();
            using var post = new HttpRequestMessage(
                HttpMethod.Post, $"/v3/directline/conversations/{conversationId}/activities")
            {
                Content = JsonContent.Create(
                    new { type = "message", text = "着火了！", from = new { id = userId } }),
            };
            post.Headers.Authorization = new("Bearer", start.GetProperty("token").GetString());
            var clock = Stopwatch.StartNew();
            (await http.SendAsync(post)).EnsureSuccessStatusCode();
            await created.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            return clock.Elapsed.TotalMilliseconds;
        }
        async Task<double> HealthOnce()
        {
            var clock = Stopwatch.StartNew();
            (await http.GetAsync("/healthz")).EnsureSuccessStatusCode();
            return clock.Elapsed.TotalMilliseconds;
        }

        for (var i = 0; i < 30; i++) { await ReportOnce(); await HealthOnce(); }   // warm-up
        var delivery = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < count; i++)
        {
            delivery.Add(await ReportOnce());
            baseline.Add(await HealthOnce());
        }
        BenchHost.Report("GET /healthz (baseline)", baseline, baseline);
        BenchHost.Report("report → TicketCreated in a console", delivery, baseline);
        return 0;
    }
}
