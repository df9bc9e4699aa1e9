using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Linli.Tests.Support;

/// <summary>
/// A browser test's world: Linli as its own process on a real Kestrel port over a fresh database, and headless
/// Chromium. Each test class gets its own of both.
/// </summary>
public abstract partial class BrowserTest : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private IPlaywright _playwright = null!;

    protected HostProcess Host { get; private set; } = null!;
    protected Uri Url { get; private set; } = null!;
    protected IBrowser Browser { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Host = HostProcess.Start(_dir.File("linli.db"));
        Url = await Host.Running;
        try
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(_playwright);
        }
        catch
        {
            // xUnit does not dispose a test whose start failed (no browser on this machine, say): the server is
            // stopped here, so it never outlives the run.
            await DisposeAsync();
            throw;
        }
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Host?.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static ILocator Bubble(IPage page, string text) => Chromium.Bubble(page, text);

    /// <summary>
    /// Someone with an account (staff, a volunteer, a committee member) opens a page the way they would: the page sends
    /// them to sign in, and back once they have. <paramref name="before"/> runs on the new page before it is opened.
    /// </summary>
    protected async Task<IPage> SignInAsync(string userName, string path, Func<IPage, Task>? before = null)
    {
        var page = await (await Browser.NewContextAsync()).NewPageAsync();
        if (before is not null) await before(page);
        await page.GotoAsync(new Uri(Url, path).ToString());
        await page.WaitForURLAsync(new Regex(@"/signin\?returnUrl=" + Regex.Escape(Uri.EscapeDataString(path)) + "$"));
        await page.FillAsync("input[name=UserName]", userName);
        await page.FillAsync("input[name=Password]", PasswordOf(userName));
        await page.ClickAsync("form[action*='handler=Staff'] button[type=submit]");
        // Linli runs as in production, where the demo's published password must be changed before anything else.
        await ArrivedAsync(page, new Regex("(" + Regex.Escape(path) + "|/account/password.*)$"));
        if (page.Url.Contains("/account/password"))
        {
            await page.FillAsync("input[name=Current]", Linli.Seeding.DemoAccounts.Password);
            await page.FillAsync("input[name=New]", ChangedPassword);
            await page.FillAsync("input[name=Confirm]", ChangedPassword);
            await page.ClickAsync("form button[type=submit]");
            _changed.Add(userName);
            await ArrivedAsync(page, new Regex(Regex.Escape(path) + "$"));
        }
        return page;
    }

    /// <summary>
    /// Waits for <paramref name="page"/> to arrive where <paramref name="url"/> says, as after a sign-in. When it does
    /// not, the error says where the page is, what it shows and what Linli printed last, so a rare failure under load
    /// can be read afterwards: two CI runs have timed out here, once each, with nothing else to go on.
    /// </summary>
    protected async Task ArrivedAsync(IPage page, Regex url)
    {
        try { await page.WaitForURLAsync(url); }
        catch (TimeoutException timeout)
        {
            string shows;
            try { shows = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 }); }
            catch (PlaywrightException unreadable) { shows = $"(unreadable: {unreadable.Message})"; }
            var printed = Host.Stdout.Split('\n').TakeLast(15);
            throw new TimeoutException(
                $"Still at {page.Url}, not {url}. The page shows: {shows[..Math.Min(shows.Length, 400)]}\n"
                + $"Linli printed last:\n{string.Join('\n', printed)}", timeout);
        }
    }

    /// <summary>
    /// The password a demo account has in this Linli: the demo's until the account was made to change it.
    /// </summary>
    protected string PasswordOf(string userName) =>
        _changed.Contains(userName) ? ChangedPassword : Linli.Seeding.DemoAccounts.Password;

    protected const string ChangedPassword = "Tea-and-Repairs-2026";
    private readonly HashSet<string> _changed = [];

    /// <summary>
    /// The demo resident of 3栋502 signs in on the sign-in page with flat, phone and the one-time code the running
    /// Linli prints (the demo sends no SMS). Where they land is the caller's to check.
    /// </summary>
    protected async Task<IPage> SignInByPhoneAsync(string returnUrl)
    {
        var page = await (await Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(new Uri(Url, "/signin?returnUrl=" + Uri.EscapeDataString(returnUrl)).ToString());
        await page.FillAsync("input[name=Unit]", "3栋502");
        await page.FillAsync("input[name=Phone]", "13800138000");
        var before = CodeLine().Matches(Host.Stdout).Count;
        await page.ClickAsync("form[action*='handler=ResidentStart'] button[type=submit]");
        await page.GetByText("验证码已发到这个手机", new() { Exact = false })
            .WaitForAsync(new() { Timeout = 15_000 });
        string? code = null;
        for (var i = 0; i < 50 && code is null; i++)
        {
            var codes = CodeLine().Matches(Host.Stdout);
            if (codes.Count > before) code = codes[^1].Groups[1].Value;
            else await Task.Delay(100, Ct);
        }
        await page.FillAsync("input[name=Code]", code ?? throw new TimeoutException("Linli printed no code."));
        await page.ClickAsync("form[action*='handler=ResidentCode'] button[type=submit]");
        return page;
    }

    [GeneratedRegex(@"One-time code for [^:]+: (\d{6})")]
    private static partial Regex CodeLine();

    /// <summary>A member of staff's HTTP client, signed in to the running Linli.</summary>
    protected async Task<HttpClient> StaffAsync(string userName)
    {
        var cookies = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() };
        var staff = new HttpClient(cookies) { BaseAddress = Url };
        var credentials = new { userName, password = PasswordOf(userName) };
        var signIn = await staff.PostAsJsonAsync("/api/auth/signin", credentials, Ct);
        signIn.EnsureSuccessStatusCode();
        if (!_changed.Contains(userName))
        {
            // As in production: the demo password is changed first.
            var change = new { current = Linli.Seeding.DemoAccounts.Password, @new = ChangedPassword };
            (await staff.PostAsJsonAsync("/api/auth/password", change, Ct)).EnsureSuccessStatusCode();
            _changed.Add(userName);
        }
        return staff;
    }
}

/// <summary>A resident at the Web Chat page: types or taps, and waits for what the bot answers.</summary>
public sealed class WebChatResident(IPage page)
{
    public IPage Page => page;

    public static async Task<WebChatResident> OpenAsync(IBrowser browser, Uri url)
    {
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(url.ToString());
        await Chromium.Bubble(page, "您好，我是邻里小助手").WaitForAsync(new() { Timeout = 15_000 });
        return new WebChatResident(page);
    }

    public async Task TypeAsync(string text, string expect)
    {
        var input = page.Locator("[data-id='webchat-sendbox-input']");
        await input.FillAsync(text);
        await input.PressAsync("Enter");
        await Chromium.Bubble(page, expect).WaitForAsync(new() { Timeout = 10_000 });
    }

    public async Task TapAsync(string button, string expect)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button }).Last.ClickAsync();
        await Chromium.Bubble(page, expect).WaitForAsync(new() { Timeout = 10_000 });
    }

    /// <summary>
    /// Reports a repair of a shared area by tapping and typing, and returns the ticket number the bot gives.
    /// </summary>
    public async Task<string> ReportRepairAsync(string place, string category, string description)
    {
        await TypeAsync("我要报修", "是家里要修，还是公共区域？");
        await TapAsync("公共区域", "在哪里？");
        await TypeAsync(place, "是哪一类问题？");
        await TapAsync(category, "请简单说说是什么情况。");
        await TypeAsync(description, "对吗？");
        await TapAsync("对", "已登记报修");
        var transcript = await page.Locator("#webchat").InnerTextAsync();
        var number = System.Text.RegularExpressions.Regex.Match(transcript, @"BX-\d{8}-\d{4}").Value;
        await TapAsync("跳过", "好的。有进展");
        return number;
    }
}
