using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.People;
using Linli.Residents;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Support;

/// <summary>
/// A resident in the chat page's conversation (Direct Line, as Web Chat uses it): says things, reads what the bot says.
/// </summary>
public sealed class ResidentChat
{
    private readonly DirectLineTestClient _dl;
    private readonly DirectLineTestClient.Started _conversation;
    private string? _watermark;

    private ResidentChat(DirectLineTestClient dl, DirectLineTestClient.Started conversation, string userId)
    {
        _dl = dl;
        _conversation = conversation;
        UserId = userId;
    }

    public string UserId { get; }
    public string ConversationId => _conversation.ConversationId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<ResidentChat> StartAsync(WebApplicationFactory<Program> app, string locale = "zh-CN") =>
        StartAsync(app.CreateClient(), locale);

    /// <summary>A resident of Linli at <paramref name="http"/>'s base address (a real process, say).</summary>
    public static async Task<ResidentChat> StartAsync(HttpClient http, string locale = "zh-CN")
    {
        var tokenResponse = await http.PostAsJsonAsync("/api/chat/token", new { locale }, Ct);
        var token = await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var dl = new DirectLineTestClient(http);
        var started = await dl.StartAsync(token.GetProperty("token").GetString(), Ct);
        var chat = new ResidentChat(dl, started, token.GetProperty("userId").GetString()!);
        await chat.HeardAsync();   // the welcome
        return chat;
    }

    /// <summary>Says <paramref name="text"/> and returns what the bot said back.</summary>
    public async Task<List<string>> SayAsync(string text, string? locale = null, string? id = null)
    {
        (await _dl.PostAsync(_conversation, new
        {
            type = "message", text, locale = locale ?? "zh-CN", from = new { id = UserId, role = "user" },
            channelData = new { clientActivityID = id ?? Guid.NewGuid().ToString("n") },
        }, ct: Ct)).EnsureSuccessStatusCode();
        return await HeardAsync();
    }

    /// <summary>What the bot said since last asked (proactive messages included).</summary>
    public async Task<List<string>> HeardAsync()
    {
        var (activities, watermark) = await _dl.GetAsync(_conversation, _watermark, ct: Ct);
        _watermark = watermark;
        return activities
            .Where(a => a.GetProperty("from").GetProperty("role").GetString() == "bot"
                        && a.GetProperty("type").GetString() == "message")
            .Select(a => a.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "").ToList();
    }

    /// <summary>
    /// What the bot said since last asked, once it has said at least <paramref name="count"/> messages: news sent
    /// outside the resident's own turn (a ticket moved on) arrives a moment after the change that caused it.
    /// </summary>
    public async Task<List<string>> ToldAsync(int count = 1)
    {
        var heard = await HeardAsync();
        for (var i = 0; i < 200 && heard.Count < count; i++)
        {
            await Task.Delay(50, Ct);
            heard.AddRange(await HeardAsync());
        }
        return heard;
    }

    /// <summary>
    /// Waits (briefly, real time) until the bot has said something containing <paramref name="text"/>.
    /// </summary>
    public async Task<List<string>> WaitForAsync(string text)
    {
        var heard = new List<string>();
        for (var i = 0; i < 50 && !heard.Any(h => h.Contains(text, StringComparison.Ordinal)); i++)
        {
            heard.AddRange(await HeardAsync());
            if (!heard.Any(h => h.Contains(text, StringComparison.Ordinal))) await Task.Delay(100, Ct);
        }
        Assert.True(heard.Any(h => h.Contains(text, StringComparison.Ordinal)),
            $"expected “{text}”, heard: {string.Join(" | ", heard)}");
        return heard;
    }

    /// <summary>Sends photos the way Web Chat does: a multipart upload into the conversation.</summary>
    public async Task<List<string>> UploadPhotosAsync(params string[] names)
    {
        using var form = new MultipartFormDataContent();
        foreach (var name in names)
        {
            var photo = new ByteArrayContent(Convert.FromBase64String(OnePixelPng));
            photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(photo, "file", name);
        }
        var upload = $"/v3/directline/conversations/{ConversationId}/upload?userId={UserId}";
        using var request = new HttpRequestMessage(HttpMethod.Post, upload) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _conversation.Token);
        (await _dl.Http.SendAsync(request, Ct)).EnsureSuccessStatusCode();
        return await HeardAsync();
    }

    public const string OnePixelPng =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    /// <summary>
    /// Binds this resident to a flat as if they had passed the phone and code check (that check has its own tests).
    /// </summary>
    public ResidentBinding BindTo(IServiceProvider services, string unitLabel)
    {
        // Through the stores, so it binds on either database.
        var unit = services.GetRequiredService<ResidentDirectory>().FindUnit(unitLabel)!;
        var owner = services.GetRequiredService<IPeopleStore>().OfUnit(unit.CommunityId, unit.Id)
            .First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == UnitRelation.Owner));
        var binding = new ResidentBinding
        {
            Id = ResidentDirectory.Key("directline", UserId), CommunityId = unit.CommunityId, UnitId = unit.Id,
            PersonId = owner.Id, BoundAt = DateTimeOffset.UtcNow,
        };
        services.GetRequiredService<IResidentBindingStore>().Save(binding);
        return binding;
    }
}

/// <summary>A browser-like client signed in to the staff API with a demo account (cookies kept).</summary>
public static class StaffClient
{
    public static async Task<HttpClient> SignInAsync(
        WebApplicationFactory<Program> app, string userName, string password = Linli.Seeding.DemoAccounts.Password)
    {
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await http.PostAsJsonAsync(
            "/api/auth/signin", new { userName, password }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        return http;
    }
}

/// <summary>A resident in a browser, signed in through the bot's signed link for their flat.</summary>
public static class ResidentWeb
{
    /// <summary>
    /// The signed link the bot would give the flat's person of <paramref name="relation"/> (its owner by default).
    /// </summary>
    public static string LinkFor(
        WebApplicationFactory<Program> app, string unitLabel, UnitRelation relation = UnitRelation.Owner,
        string communityId = "citong")
    {
        var db = app.Services.GetRequiredService<LinliDatabase>();
        var unit = app.Services.GetRequiredService<ResidentDirectory>().FindUnit(unitLabel, communityId)!;
        var person = db.People.Find(p => p.CommunityId == unit.CommunityId)
            .First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == relation));
        var binding = new ResidentBinding
        {
            Id = ResidentDirectory.Key("web-test", person.Id), CommunityId = unit.CommunityId, UnitId = unit.Id,
            PersonId = person.Id, BoundAt = DateTimeOffset.UtcNow,
        };
        return app.Services.GetRequiredService<Linli.Accounts.ResidentLinks>().Create(binding);
    }

    /// <param name="relation">Which of the flat's people: its owner (default), a co-owner, a tenant.</param>
    public static async Task<HttpClient> SignInAsync(
        WebApplicationFactory<Program> app, string unitLabel, UnitRelation relation = UnitRelation.Owner,
        string communityId = "citong")
    {
        var http = app.CreateClient(
            new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var followed = await FollowAsync(http, LinkFor(app, unitLabel, relation, communityId));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, followed.StatusCode);
        return http;
    }

    /// <summary>
    /// What a resident does with a link: opens it (a page, no cookie yet) and taps the one button, whose form post
    /// signs in. <paramref name="browser"/> must keep cookies (the antiforgery cookie); returns the post's answer.
    /// </summary>
    public static async Task<HttpResponseMessage> FollowAsync(HttpClient browser, string link)
    {
        var ct = TestContext.Current.CancellationToken;
        // (On Linux "/auth/link" parses as an absolute file: URI, so ask for http(s) by name.)
        var path = link.StartsWith("http", StringComparison.Ordinal) ? new Uri(link).PathAndQuery : link;
        var page = await browser.GetAsync(path, ct);
        Assert.True(page.StatusCode == System.Net.HttpStatusCode.OK,
            $"{page.StatusCode} {path} {await page.Content.ReadAsStringAsync(ct)}");
        var signedIn = page.Headers.TryGetValues("Set-Cookie", out var set)
                       && set.Any(c => c.StartsWith("linli.auth="));
        Assert.False(signedIn, "Opening a link must not sign in.");
        var html = await page.Content.ReadAsStringAsync(ct);
        string Field(string name) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex
            .Match(html, $@"name=""{name}""[^>]*?value=""([^""]*)""").Groups[1].Value);
        return await browser.PostAsync(path.Split('?')[0], new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["t"] = Field("t"), ["return"] = Field("return"),
            ["__RequestVerificationToken"] = Field("__RequestVerificationToken"),
        }), ct);
    }
}

/// <summary>
/// Sign-in cookies as a browser keeps them, for clients that send them by hand (SignalR's .NET client).
/// </summary>
public static class TestCookies
{
    /// <summary>The Cookie header for what a response set ("" when it set none).</summary>
    public static string Of(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? string.Join("; ", cookies.Select(c => c.Split(';')[0]))
            : "";

    public static async Task<string> StaffAsync(WebApplicationFactory<Program> app, string userName)
    {
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var credentials = new { userName, password = Linli.Seeding.DemoAccounts.Password };
        var response = await http.PostAsJsonAsync(
            "/api/auth/signin", credentials, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        return Of(response);
    }

    /// <summary>The cookie of a resident who followed their signed link (<see cref="ResidentWeb.LinkFor"/>).</summary>
    public static async Task<string> ResidentAsync(WebApplicationFactory<Program> app, string link)
    {
        var http = app.CreateClient(
            new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var followed = await ResidentWeb.FollowAsync(http, link);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, followed.StatusCode);
        return string.Join("; ", Of(followed).Split("; ").Where(c => c.StartsWith("linli.auth=")));
    }
}
