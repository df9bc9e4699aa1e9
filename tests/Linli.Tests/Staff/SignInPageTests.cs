using System.Net;
using System.Text.RegularExpressions;
using Linli.Residents;
using Linli.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Staff;

/// <summary>
/// The sign-in page's forms: antiforgery checked on every post, staff passwords, lockout, safe return addresses.
/// </summary>
public sealed partial class SignInPageTests : IDisposable
{
    private const string Demo = Linli.Seeding.DemoAccounts.Password;
    private const string Staff = "/signin?handler=Staff";
    private const string AntiforgeryField = "__RequestVerificationToken";
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Browser() =>
        _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private static async Task<string> TokenAsync(HttpClient browser, string url = "/signin")
    {
        var html = await browser.GetStringAsync(url, Ct);
        return Token().Match(html).Groups[1].Value;
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static bool SetsSignInCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("linli.auth="));

    [Fact]
    public async Task AFormPostWithoutTheAntiforgeryTokenIsRefusedAndSignsNobodyIn()
    {
        var browser = Browser();
        await TokenAsync(browser);   // has the antiforgery cookie, but the form below does not carry the token
        var response = await browser.PostAsync(Staff, Form(("UserName", "manager"), ("Password", Demo)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(SetsSignInCookie(response));
    }

    [Fact]
    public async Task StaffSignInGoesToTheConsoleOrBackWhereTheyCameFromButNeverOffSite()
    {
        var browser = Browser();
        var token = await TokenAsync(browser);
        var response = await browser.PostAsync(Staff,
            Form(("UserName", "service"), ("Password", Demo), (AntiforgeryField, token)), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/console", Ct)).StatusCode);

        var other = Browser();
        token = await TokenAsync(other);
        response = await other.PostAsync(Staff, Form(("UserName", "service"), ("Password", Demo),
            ("ReturnUrl", "//evil.example/x"), (AntiforgeryField, token)), Ct);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheConsoleSendsStrangersToSignInAndTheApiAnswers401()
    {
        var browser = Browser();
        var page = await browser.GetAsync("/console", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var location = page.Headers.Location;
        Assert.Equal("/signin?returnUrl=%2Fconsole", location?.PathAndQuery ?? location?.OriginalString);
        var api = await browser.GetAsync("/api/communities/citong/tickets", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswordsOnThePageLockTheAccount()
    {
        var browser = Browser();
        for (var i = 0; i < 5; i++)
        {
            var token = await TokenAsync(browser);
            var wrong = await browser.PostAsync(Staff,
                Form(("UserName", "repair2"), ("Password", "guess" + i), (AntiforgeryField, token)), Ct);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("用户名或密码不对。", await wrong.Content.ReadAsStringAsync(Ct));
        }
        var last = await TokenAsync(browser);
        var locked = await browser.PostAsync(Staff,
            Form(("UserName", "repair2"), ("Password", Demo), (AntiforgeryField, last)), Ct);
        Assert.Contains("用户名或密码不对。", await locked.Content.ReadAsStringAsync(Ct));
        Assert.False(SetsSignInCookie(locked));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

/// <summary>
/// With Chat:PublicUrl set, the links the bot gives are absolute (for channels other than Linli's own chat page).
/// </summary>
public sealed class PublicLinkTests : IDisposable
{
    private readonly LinliAppFactory _app = new(new() { ["Chat:PublicUrl"] = "https://linli.example.org/" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task LinksAreAbsoluteAndStillSignTheResidentIn()
    {
        var ct = TestContext.Current.CancellationToken;
        var chat = await ResidentChat.StartAsync(_app);
        var links = _app.Services.GetRequiredService<Linli.Accounts.ResidentLinks>();
        var link = links.Create(chat.BindTo(_app.Services, "3栋502"), "/tea");
        Assert.StartsWith("https://linli.example.org/auth/link?t=", link);
        var browser = _app.CreateClient(
            new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var followed = await ResidentWeb.FollowAsync(browser, link);
        Assert.Equal(HttpStatusCode.Redirect, followed.StatusCode);
        Assert.Equal("/tea", followed.Headers.Location?.OriginalString);
    }
}
