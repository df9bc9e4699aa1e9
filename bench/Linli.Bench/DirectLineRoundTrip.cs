using System.Diagnostics;

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
        await using var chat = await DirectLineClient.OpenAsync(http);

        async Task<double> HealthOnce()
        {
            var clock = Stopwatch.StartNew();
            (await http.GetAsync("/healthz")).EnsureSuccessStatusCode();
            return clock.Elapsed.TotalMilliseconds;
        }

        for (var i = 0; i < 50; i++) { await chat.RoundTripAsync($"测试 {-i}"); await HealthOnce(); }   // warm-up
        var roundTrips = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < count; i++)
        {
            roundTrips.Add(await chat.RoundTripAsync($"测试 {i}"));
            baseline.Add(await HealthOnce());
        }

        if (Environment.GetEnvironmentVariable("LINLI_BENCH_VERBOSE") is not null)
            for (var i = 0; i < count; i++)
                if (roundTrips[i] > 100 || baseline[i] > 100)
                    Console.WriteLine($"slow #{i}: post {roundTrips[i]:F0} ms, health {baseline[i]:F0} ms");
        BenchHost.Report("GET /healthz (baseline)", baseline, baseline);
        BenchHost.Report("Direct Line post → reply on stream", roundTrips, baseline);
        return 0;
    }
}
