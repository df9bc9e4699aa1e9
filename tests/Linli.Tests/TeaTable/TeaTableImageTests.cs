using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.TeaTable;

/// <summary>Images in posts: uploaded once, shown only to the community's people.</summary>
public sealed class TeaTableImageTests : IDisposable
{
    private readonly LinliAppFactory _app =
        new(new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AnImageGoesWithAPostAndStaysInTheCommunity()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        using var form = new MultipartFormDataContent();
        var png = new ByteArrayContent(Convert.FromBase64String(ResidentChat.OnePixelPng));
        png.Headers.ContentType = new("image/png");
        form.Add(png, "file", "charger.png");
        var uploaded = await alice.PostAsync("/api/tea/files", form, ct);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var url = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("url").GetString()!;

        var started = await alice.PostAsJsonAsync("/api/tea/threads",
            new { title = "充电桩位置", text = "见图" }, ct);
        var thread = (await started.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt32();
        string[] attachments = [url, "https://evil.example/x.png", "javascript:alert(1)"];
        var withImages = new { text = "东侧这块空地", attachments };
        var posted = await alice.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", withImages, ct);
        var post = await posted.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal([url], post.GetProperty("attachments").EnumerateArray().Select(a => a.GetString()));

        var bob = await ResidentWeb.SignInAsync(_app, "5栋301");
        var image = await bob.GetAsync(url, ct);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Convert.FromBase64String(ResidentChat.OnePixelPng), await image.Content.ReadAsByteArrayAsync(ct));
        var stranger = await ResidentWeb.SignInAsync(_app, "1栋101", communityId: "syn0001");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(url, ct)).StatusCode);

        // Another resident's image cannot be attached to one's own post.
        var borrowed = new { text = "我也贴", attachments = new[] { url } };
        var bobsPost = await bob.PostAsJsonAsync($"/api/tea/threads/{thread}/posts", borrowed, ct);
        var bobs = await bobsPost.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Empty(bobs.GetProperty("attachments").EnumerateArray());
    }

    [Theory]
    [InlineData("image/png", "x.html")]
    [InlineData("image/jpeg", "photo.jpg")]
    [InlineData("text/html", "x.html")]
    public async Task AnythingButAnImageIsRefusedWhateverItsNameOrDeclaredType(string declared, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        var db = _app.Services.GetRequiredService<Linli.Storage.LiteDb.LinliDatabase>();
        var before = db.FileStorage.FindAll().Count();
        using var form = new MultipartFormDataContent();
        var script = new ByteArrayContent("<html><script>alert(document.cookie)</script></html>"u8.ToArray());
        script.Headers.ContentType = new(declared);
        form.Add(script, "file", name);
        var response = await alice.PostAsync("/api/tea/files", form, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, db.FileStorage.FindAll().Count());
    }

    [Fact]
    public async Task AnImageIsServedAsItsBytesSayWithAFileNameAndASandbox()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = await ResidentWeb.SignInAsync(_app, "3栋501");
        using var form = new MultipartFormDataContent();
        var gif = new ByteArrayContent([.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0, .. "<script>alert(1)</script>"u8]);
        gif.Headers.ContentType = new("text/html");
        form.Add(gif, "file", "x.html");
        var uploaded = await alice.PostAsync("/api/tea/files", form, ct);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var url = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("url").GetString();
        var image = await alice.GetAsync(url, ct);
        Assert.Equal("image/gif", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", image.Headers.GetValues("Content-Security-Policy").Single());
        var disposition = image.Content.Headers.ContentDisposition?.ToString() ?? "";
        Assert.Matches("^inline; filename=\"?[0-9a-z-]+\\.gif\"?$", disposition);
    }
}
