using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.EndToEnd;

/// <summary>Real processes on one database file. Slow-ish: each starts a .NET process.</summary>
[Trait("Category", "Slow")]
public sealed class HostProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string CollectionRate = "/api/communities/citong/collection-rate?from=2024-11&to=2026-10";

    [Fact]
    public async Task ASecondInstanceOnTheSameFileRefusesToStartAndNamesTheFile()
    {
        var db = _dir.File("linli.db");
        using var first = HostProcess.Start(db);
        var url = await first.Running;

        using var second = HostProcess.Start(db);
        Assert.Equal(2, await second.ExitCode());
        Assert.Contains("Linli cannot start", second.Stderr);
        Assert.Contains(db, second.Stderr);

        // The first instance is unharmed.
        var health = await _http.GetAsync(new Uri(url, "/healthz"), Ct);
        Assert.True(health.IsSuccessStatusCode);
    }

    [Fact]
    public async Task KillNineThenRestartKeepsEveryAcknowledgedWrite()
    {
        var db = _dir.File("linli.db");
        string before;
        using (var first = HostProcess.Start(db))
        {
            var url = await first.Running; // the seed is committed before the server listens
            before = await _http.GetStringAsync(new Uri(url, CollectionRate), Ct);
            first.Kill();
        }

        using var second = HostProcess.Start(db);
        var again = await second.Running;
        var after = await _http.GetStringAsync(new Uri(again, CollectionRate), Ct);
        Assert.Equal(before, after);
        Assert.Equal(24, JsonDocument.Parse(after).RootElement.GetArrayLength());

        var communities = await _http.GetFromJsonAsync<JsonElement>(new Uri(again, "/api/communities"), Ct);
        Assert.Equal(1, communities.GetArrayLength()); // not seeded twice
        Assert.DoesNotContain("Seeded demo community", second.Stdout);
    }

    [Fact]
    public async Task InvalidConfigurationStopsStartWithAPlainMessage()
    {
        using var host = HostProcess.Start(_dir.File("linli.db"), "--Demo:LastPeriod", "not-a-month");
        Assert.Equal(2, await host.ExitCode());
        Assert.Contains("Linli cannot start: configuration is invalid", host.Stderr);
        Assert.Contains("not-a-month", host.Stderr);
    }
}
