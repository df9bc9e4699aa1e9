using Linli.Tests.Support;
using Microsoft.Playwright;

namespace Linli.Tests.EndToEnd;

/// <summary>
/// A resident's view: the official Web Chat in headless Chromium, served by Linli on a real Kestrel port,
/// talking over Linli's Direct Line by WebSocket and by polling.
/// </summary>
[Trait("Category", "Slow")]
public sealed class WebChatBrowserTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private HostProcess _host = null!;
    private Uri _url = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _host = HostProcess.Start(_dir.File("linli.db"));
        _url = await _host.Running;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // This machine has no network but loopback: keep Chromium from reaching out at all.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _host.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task AResidentTypesInChineseAndTheReplyRendersWithoutAFailedSend(string transport)
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_url, $"/?transport={transport}").ToString());

        await Bubble(page, "您好，我是邻里小助手").WaitForAsync(new() { Timeout = 15_000 });
        var input = page.Locator("[data-id='webchat-sendbox-input']");
        await input.FillAsync("我要报修，厨房漏水了");
        await input.PressAsync("Enter");
        await Bubble(page, "是家里要修，还是公共区域？").WaitForAsync(new() { Timeout = 10_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "家里" }).First.ClickAsync();

        await Bubble(page, "请告诉我房号").WaitForAsync(new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"linli-webchat-{transport}.png") });
        var text = await page.Locator("#webchat").InnerTextAsync();
        Assert.DoesNotContain("发送失败", text);
        Assert.DoesNotContain("Send failed", text);
        Assert.DoesNotContain("正在发送", text);
    }

    [Fact]
    public async Task TappingAMenuButtonAnswersAndEnglishWorksToo()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_url, "/?lang=en").ToString());

        await Bubble(page, "your community helper").WaitForAsync(new() { Timeout = 15_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Repair" }).First.ClickAsync();

        await Bubble(page, "Is it inside your home, or in a shared area?").WaitForAsync(new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "linli-webchat-en.png") });
    }

    /// <summary>A message as the transcript shows it (Web Chat repeats the text for screen readers elsewhere).</summary>
    private static ILocator Bubble(IPage page, string text) => page.Locator("#webchat p").GetByText(text).First;
}
