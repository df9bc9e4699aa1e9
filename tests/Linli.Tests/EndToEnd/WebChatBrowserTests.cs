using Linli.Tests.Support;
using System.Net.Http.Json;
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
        _browser = await Chromium.LaunchAsync(_playwright);
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

    [Fact]
    public async Task ARepairReportedInWebChatHearsEachStatusChangeAndIsAskedForARating()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_url.ToString());
        await Bubble(page, "您好，我是邻里小助手").WaitForAsync(new() { Timeout = 15_000 });
        var input = page.Locator("[data-id='webchat-sendbox-input']");
        async Task Type(string text, string expect)
        {
            await input.FillAsync(text);
            await input.PressAsync("Enter");
            await Bubble(page, expect).WaitForAsync(new() { Timeout = 10_000 });
        }
        async Task Tap(string button, string expect)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = button }).Last.ClickAsync();
            await Bubble(page, expect).WaitForAsync(new() { Timeout = 10_000 });
        }
        await Type("我要报修", "是家里要修，还是公共区域？");
        await Tap("公共区域", "在哪里？");
        await Type("3栋电梯", "是哪一类问题？");
        await Tap("电梯", "请简单说说是什么情况。");
        await Type("电梯门关不上", "没有就点“跳过”");
        await Tap("跳过", "急不急？");
        await Tap("很急", "师傅什么时候上门方便？");
        await Tap("越快越好", "已登记报修");
        var number = System.Text.RegularExpressions.Regex.Match(await page.Locator("#webchat").InnerTextAsync(), @"BX-\d{8}-\d{4}").Value;
        Assert.NotEmpty(number);

        // Staff, signed in on the same server, move the ticket on; each change appears in the resident's open Web Chat.
        using var staff = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = _url };
        (await staff.PostAsJsonAsync("/api/auth/signin", new { userName = "repair1", password = Linli.Seeding.DemoAccounts.Password }, ct)).EnsureSuccessStatusCode();
        (await staff.PatchAsJsonAsync($"/api/tickets/{number}", new { status = "InProgress", note = "师傅五分钟到" }, ct)).EnsureSuccessStatusCode();
        await Bubble(page, "正在处理").WaitForAsync(new() { Timeout = 10_000 });
        (await staff.PatchAsJsonAsync($"/api/tickets/{number}", new { status = "Resolved" }, ct)).EnsureSuccessStatusCode();
        await Bubble(page, "这次处理得怎么样？").WaitForAsync(new() { Timeout = 10_000 });
        await Tap("5分 很满意", "还有什么想说的？");
        await Tap("跳过", "谢谢您的评价！");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "linli-webchat-status.png") });

        var rated = await staff.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tickets/{number}", ct);
        Assert.Equal(5, rated.GetProperty("rating").GetInt32());
    }

    private static ILocator Bubble(IPage page, string text) => Chromium.Bubble(page, text);
}
