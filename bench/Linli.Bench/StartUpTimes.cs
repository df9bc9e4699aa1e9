using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Linli.Bench;

/// <summary>
/// Time from process start to <c>/healthz</c> answering 200, and to a resident's first turn answered: Linli on a new
/// demo file (it seeds it), on a seeded one, with no cached classifier (it trains), and on the bench's city of bills;
/// against a bare ASP.NET Core app (<see cref="BareHub"/>) started the same way, alternating, in the same run.
/// </summary>
public static class StartUpTimes
{
    private sealed record Start(double ReadyMs, double CpuMs, double FirstTurnMs, long Bytes);

    public static async Task<int> RunAsync(int rounds)
    {
        using var seeded = new BenchHost.TempFolder();
        using var untrained = new BenchHost.TempFolder();
        var city = CityFile();
        await TimeAsync(url => BenchHost.StartInfo(seeded.Path, "--urls", url), turn: false); // seeds it, untimed
        var cases = new List<(string Name, Func<string, string, ProcessStartInfo> Info, bool Turn)>
        {
            ("bare ASP.NET Core app", (url, _) => BareHub.StartInfo(url), false),
            ("Linli, demo, new file", (url, folder) => BenchHost.StartInfo(folder, "--urls", url), true),
            ("Linli, demo, seeded file", (url, _) => BenchHost.StartInfo(seeded.Path, "--urls", url), true),
            ("Linli, seeded, no cached model", (url, _) => BenchHost.StartInfo(seeded.Path, "--urls", url,
                "--Nlu:DataFolder", Untrained(untrained.Path)), true),
            ($"Linli, {city.Bills / 1e6:F1} million bills", (url, _) => BenchHost.StartInfo(seeded.Path, "--urls", url,
                "--Storage:DatabasePath", city.Path), true),
        };
        var times = cases.ToDictionary(c => c.Name, _ => new List<Start>());
        for (var round = 0; round < rounds; round++)
            foreach (var (name, info, turn) in cases)
            {
                using var fresh = new BenchHost.TempFolder();
                if (name.Contains("no cached", StringComparison.Ordinal)) Untrained(untrained.Path, clear: true);
                times[name].Add(await TimeAsync(url => info(url, fresh.Path), turn));
            }

        Console.WriteLine($"{rounds} rounds, alternating; median of each (process start → …)");
        Console.WriteLine(
            $"{"",-32} {"/healthz 200",12} {"CPU by then",12} {"first turn",11} {"memory",8} {"×bare",6}");
        var bare = Median(times[cases[0].Name], s => s.ReadyMs);
        foreach (var (name, _, turn) in cases)
        {
            var s = times[name];
            var ready = Median(s, x => x.ReadyMs);
            var first = turn ? $"{Median(s, x => x.FirstTurnMs):F0} ms" : "";
            Console.WriteLine($"{name,-32} {ready,9:F0} ms {Median(s, x => x.CpuMs),9:F0} ms {first,11} " +
                              $"{Median(s, x => x.Bytes) / 1e6,5:F0} MB {ready / bare,6:F2}");
        }
        return 0;
    }

    private static double Median(List<Start> starts, Func<Start, double> value) =>
        starts.Select(value).Order().ElementAt(starts.Count / 2);

    /// <summary>Starts one process on a free port, waits for its 200, a turn if asked, and stops it.</summary>
    private static async Task<Start> TimeAsync(Func<string, ProcessStartInfo> info, bool turn)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info(url))!;
        ServerProcess.KillOnInterrupt(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (!await HealthyAsync(http))
            {
                if (process.HasExited) throw new InvalidOperationException($"{url} exited with {process.ExitCode}");
                if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{url} never healthy");
                await Task.Delay(5);
            }
            var ready = clock.Elapsed.TotalMilliseconds;
            process.Refresh();
            var (cpu, bytes) = (process.TotalProcessorTime.TotalMilliseconds, process.WorkingSet64);
            if (turn) await FirstTurnAsync(http);
            return new Start(ready, cpu, clock.Elapsed.TotalMilliseconds, bytes);
        }
        finally
        {
            // As an operator stops it (SIGTERM): the database is closed properly for the next start.
            ServerProcess.Terminate(process);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await process.WaitForExitAsync(patience.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        }
    }

    private static async Task<bool> HealthyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/healthz");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task FirstTurnAsync(HttpClient http)
    {
        var id = Guid.NewGuid().ToString("N");
        var body = $$$"""
            {"type":"message","id":"m{{{id}}}","text":"3栋电梯坏了","channelId":"webchat","locale":"zh-CN",
             "serviceUrl":"http://127.0.0.1:9","deliveryMode":"expectReplies","from":{"id":"u-{{{id}}}"},
             "recipient":{"id":"bot"},"conversation":{"id":"c-{{{id}}}"}}
            """;
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/messages", content);
        var answer = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !answer.Contains("\"activities\"", StringComparison.Ordinal))
            throw new HttpRequestException($"The first turn was answered {(int)response.StatusCode}: {answer}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A copy of the classifier's examples, no model cached beside them (cleared before each start).
    /// </summary>
    private static string Untrained(string folder, bool clear = false)
    {
        var data = Path.Combine(folder, "nlu");
        if (clear && Directory.Exists(Path.Combine(data, "cache"))) Directory.Delete(Path.Combine(data, "cache"), true);
        if (Directory.Exists(data)) return data;
        Directory.CreateDirectory(data);
        var source = Path.Combine(AppContext.BaseDirectory, "Understanding", "Data");
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        return data;
    }

    /// <summary>The bench's city (seeded on first use; <c>LINLI_BENCH_COMMUNITIES</c>=70 is ~4.8 million bills).
    /// </summary>
    private static (string Path, long Bills) CityFile()
    {
        using var db = BenchDatabase.Open();
        return (db.Location, db.Bills.LongCount());
    }
}
