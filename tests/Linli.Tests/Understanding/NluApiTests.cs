using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Understanding;

public sealed class NluApiTests : IDisposable
{
    private readonly LinliAppFactory _app = new();
    private readonly HttpClient _http;

    public NluApiTests() => _http = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> ParseAsync(string text)
    {
        var response = await _http.PostAsJsonAsync("/api/nlu/parse", new { text, locale = "zh-CN" }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task ReturnsRasasParseShape()
    {
        const string text = "3栋502上个月物业费交了吗，我电话13812345678";
        var parsed = await ParseAsync(text);

        Assert.Equal(text, parsed.GetProperty("text").GetString());
        Assert.Equal("fee_query", parsed.GetProperty("intent").GetProperty("name").GetString());
        var confidence = parsed.GetProperty("intent").GetProperty("confidence").GetDouble();
        Assert.InRange(confidence, 0.0, 1.0);
        var ranking = parsed.GetProperty("intent_ranking").EnumerateArray().ToList();
        Assert.Equal(15, ranking.Count);
        var confidences = ranking.Select(r => r.GetProperty("confidence").GetDouble()).ToList();
        Assert.Equal(confidences.OrderDescending(), confidences);

        var entities = parsed.GetProperty("entities").EnumerateArray().ToList();
        var unit = entities.Single(e => e.GetProperty("entity").GetString() == "unit");
        Assert.Equal("3栋502", unit.GetProperty("value").GetString());
        Assert.Equal("3栋502", text[unit.GetProperty("start").GetInt32()..unit.GetProperty("end").GetInt32()]);
        var phone = entities.Single(e => e.GetProperty("entity").GetString() == "phone");
        Assert.Equal("138****5678", phone.GetProperty("value").GetString());
    }

    [Theory]
    [InlineData("电梯里有人被困住了", "emergency")]
    [InlineData("楼道灯坏了请来修", "repair_request")]
    [InlineData("算了", "cancel")]
    [InlineData("转人工", "human_handoff")]
    [InlineData("I smell gas in the kitchen", "emergency")]
    [InlineData("给我讲个笑话", "none")]
    public async Task RoutesPlainRequests(string text, string intent) =>
        Assert.Equal(intent, (await ParseAsync(text)).GetProperty("intent").GetProperty("name").GetString());

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"text\":\"   \"}")]
    [InlineData("{\"text\":42}")]
    [InlineData("not json")]
    public async Task BadBodiesAreA400Problem(string body)
    {
        var response = await _http.PostAsync(
            "/api/nlu/parse", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TooLongTextIsA400Problem()
    {
        var response = await _http.PostAsJsonAsync("/api/nlu/parse", new { text = new string('吵', 1001) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
