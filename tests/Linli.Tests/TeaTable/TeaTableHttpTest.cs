using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.TeaTable;

/// <summary>
/// A tea-table test over HTTP: the demo community and one synthetic one, on a clock the test moves, and the calls
/// every such test makes.
/// </summary>
public abstract class TeaTableHttpTest : IDisposable
{
    protected TeaTableHttpTest() => App = new LinliAppFactory(
        new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" }, time: Clock);

    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    protected LinliAppFactory App { get; }
    protected LinliDatabase Db => App.Services.GetRequiredService<LinliDatabase>();
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        App.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    protected static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await Json(response, expected);
    }

    /// <summary>A call to the tea table's API: <paramref name="path"/> is under /api/tea/.</summary>
    protected static Task<HttpResponseMessage> Get(HttpClient who, string path) =>
        who.GetAsync("/api/tea/" + path, Ct);

    protected static Task<HttpResponseMessage> PostJson(HttpClient who, string path, object body) =>
        who.PostAsJsonAsync("/api/tea/" + path, body, Ct);

    protected static Task<HttpResponseMessage> PutJson(HttpClient who, string path, object body) =>
        who.PutAsJsonAsync("/api/tea/" + path, body, Ct);

    protected static async Task<int> StartThreadAsync(HttpClient who, string title = "充电桩装在哪里？",
        string text = "地下车库东侧有空位，大家觉得呢？", int? building = null)
    {
        var created = await PostJson(who, "threads", new { title, text, building });
        return (await Json(created, HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    protected static async Task<JsonElement> PostAsync(HttpClient who, int thread, string text, int? replyTo = null,
        HttpStatusCode expected = HttpStatusCode.Created) =>
        await Json(await PostJson(who, $"threads/{thread}/posts", new { text, replyTo }), expected);
}
