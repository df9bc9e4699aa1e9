using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Api;

public sealed class ApiTests : IDisposable
{
    private readonly LinliAppFactory _app = new();
    private readonly HttpClient _client;

    public ApiTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    [Fact]
    public async Task HealthzReportsStorageHealthy()
    {
        var health = await _client.GetFromJsonAsync<JsonElement>("/healthz", Ct);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ListsTheSeededDemoCommunity()
    {
        var communities = await _client.GetFromJsonAsync<JsonElement>("/api/communities", Ct);
        var citong = Assert.Single(communities.EnumerateArray());
        Assert.Equal("citong", citong.GetProperty("id").GetString());
        Assert.Equal("刺桐苑", citong.GetProperty("name").GetString());
        Assert.Equal(300, citong.GetProperty("units").GetInt32());
        Assert.Equal(5, citong.GetProperty("buildings").GetInt32());
    }

    [Fact]
    public async Task ShowsACommunityWithItsBuildings()
    {
        var detail = await _client.GetFromJsonAsync<JsonElement>("/api/communities/citong", Ct);
        var buildings = detail.GetProperty("buildings").EnumerateArray().ToList();
        Assert.Equal(["1栋", "2栋", "3栋", "5栋", "6栋"], buildings.Select(b => b.GetProperty("name").GetString()));
        Assert.Equal(300, buildings.Sum(b => b.GetProperty("units").GetInt32()));
        Assert.Equal(1.80m, detail.GetProperty("propertyFeeRate").GetDecimal());
    }

    [Fact]
    public async Task CollectionRateCoversTheAskedMonths()
    {
        var rates = await _client.GetFromJsonAsync<JsonElement>("/api/communities/citong/collection-rate?from=2026-01&to=2026-10", Ct);
        var months = rates.EnumerateArray().ToList();
        Assert.Equal(10, months.Count);
        Assert.Equal("2026-01", months[0].GetProperty("period").GetString());
        Assert.All(months, m => Assert.InRange(m.GetProperty("rate").GetDecimal(), 0.5m, 1m));
        Assert.All(months, m => Assert.True(m.GetProperty("paid").GetDecimal() <= m.GetProperty("due").GetDecimal()));
    }

    [Fact]
    public async Task UnknownCommunityIsA404Problem()
    {
        var problem = await ProblemOf(await _client.GetAsync("/api/communities/nowhere", Ct), HttpStatusCode.NotFound);
        Assert.Contains("nowhere", problem.GetProperty("detail").GetString());
        await ProblemOf(await _client.GetAsync("/api/communities/nowhere/collection-rate", Ct), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("from=2026-13", "from")]
    [InlineData("from=last-month", "from")]
    [InlineData("to=2026/03", "to")]
    [InlineData("from=2026-05&to=2026-01", "from")]
    [InlineData("from=2000-01&to=2026-01", "from")]
    public async Task BadMonthsAreA400ProblemNamingTheField(string query, string field)
    {
        var problem = await ProblemOf(await _client.GetAsync($"/api/communities/citong/collection-rate?{query}", Ct), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task UnknownRoutesAndWrongMethodsAreProblems()
    {
        await ProblemOf(await _client.GetAsync("/api/nothing-here", Ct), HttpStatusCode.NotFound);
        await ProblemOf(await _client.DeleteAsync("/api/communities", Ct), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task PublishesAnOpenApiDocumentAndABrowsableReference()
    {
        var doc = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/communities", out _));
        Assert.True(paths.TryGetProperty("/api/communities/{communityId}/collection-rate", out _));

        var ui = await _client.GetAsync("/scalar", Ct);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("text/html", ui.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task HomePageSaysWhatToTry()
    {
        var html = await _client.GetStringAsync("/", Ct);
        Assert.Contains("可以试试", html);
        Assert.Contains("What to try", html);
        Assert.Contains("/api/communities", html);
    }
}
