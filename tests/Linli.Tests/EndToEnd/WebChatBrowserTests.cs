using Linli.Tests.Support;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Linli.Tests.EndToEnd;

/// <summary>
/// A resident's view: the official Web Chat in headless Chromium, served by Linli on a real Kestrel port,
/// talking over Linli's Direct Line by WebSocket and by polling.
/// </summary>
[Trait("Category", "Slow")]
public sealed class WebChatBrowserTests : BrowserTest
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task AResidentTypesInChineseAndTheReplyRendersWithoutAFailedSend(string transport)
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(new Uri(Url, $"/?transport={transport}").ToString());

        await Bubble(page, "您好，我是邻里小助手").WaitForAsync(new() { Timeout = 15_000 });
        var input = page.Locator("[data-id='webchat-sendbox-input']");
        await input.FillAsync("我要报修，厨房漏水了");
        await input.PressAsync("Enter");
        // The kitchen says it is at home: the flat is the only question. (Polling on a busy machine: allow time.)
        await Bubble(page, "请告诉我房号").WaitForAsync(new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"linli-webchat-{transport}.png") });
        var text = await page.Locator("#webchat").InnerTextAsync();
        Assert.DoesNotContain("发送失败", text);
        Assert.DoesNotContain("Send failed", text);
        Assert.DoesNotContain("正在发送", text);
    }

    [Fact]
    public async Task TappingAMenuButtonAnswersAndEnglishWorksToo()
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(new Uri(Url, "/?lang=en").ToString());

        await Bubble(page, "your community helper").WaitForAsync(new() { Timeout = 15_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Repair" }).First.ClickAsync();

        await Bubble(page, "Is it inside your home, or in a shared area?").WaitForAsync(new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "linli-webchat-en.png") });
    }

    [Fact]
    public async Task ARepairReportedInWebChatHearsEachStatusChangeAndIsAskedForARating()
    {
        var ct = TestContext.Current.CancellationToken;
        var resident = await WebChatResident.OpenAsync(Browser, Url);
        var page = resident.Page;
        var number = await resident.ReportRepairAsync("3栋大堂", "电梯", "电梯门关不上");
        Assert.NotEmpty(number);

        // Staff, signed in on the same server, move the ticket on; each change appears in the resident's open Web Chat.
        using var staff = await StaffAsync("repair1");
        var inProgress = new { status = "InProgress", note = "师傅五分钟到" };
        (await staff.PatchAsJsonAsync($"/api/tickets/{number}", inProgress, ct)).EnsureSuccessStatusCode();
        await Bubble(page, "正在处理").WaitForAsync(new() { Timeout = 10_000 });
        var resolved = await staff.PatchAsJsonAsync($"/api/tickets/{number}", new { status = "Resolved" }, ct);
        resolved.EnsureSuccessStatusCode();
        await Bubble(page, "这次处理得怎么样？").WaitForAsync(new() { Timeout = 10_000 });
        await resident.TapAsync("5分 很满意", "还有什么想说的？");
        await resident.TapAsync("跳过", "谢谢您的评价！");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "linli-webchat-status.png") });

        var rated = await staff.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tickets/{number}", ct);
        Assert.Equal(5, rated.GetProperty("rating").GetInt32());
    }

}
