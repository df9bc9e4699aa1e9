using System.Text.RegularExpressions;
using Linli.Tests.Support;
using Microsoft.Playwright;

namespace Linli.Tests.EndToEnd;

/// <summary>
/// The open accounts in a real browser: a resident signed in reads every chart (an SVG with its title, its table
/// beside it) with no script on the page; another community's page and a stranger are refused. Saves a screenshot for
/// the README.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TransparencyBrowserTests : BrowserTest
{
    public static string ScreenshotPath => Path.Combine(Path.GetTempPath(), "linli-transparency.png");

    [Fact]
    public async Task AResidentReadsTheChartsAndTablesAndOthersAreRefused()
    {
        var page = await SignInByPhoneAsync("/transparency");
        await ArrivedAsync(page, new Regex("/transparency$"));
        var charts = page.Locator("section.chart-card");
        var count = await charts.CountAsync();
        Assert.True(count >= 9, $"{count} charts");
        for (var i = 0; i < count; i++)
        {
            var card = charts.Nth(i);
            var svg = card.Locator("svg.chart");
            Assert.Equal("img", await svg.GetAttributeAsync("role"));
            var title = await svg.Locator("title").First.TextContentAsync();
            Assert.False(string.IsNullOrWhiteSpace(title));
            Assert.Equal(title, await card.Locator("table.numbers caption").TextContentAsync());
            Assert.True(await card.Locator("table.numbers tbody tr").CountAsync() > 0);
            var box = await svg.BoundingBoxAsync();
            Assert.True(box is { Width: > 200, Height: > 80 }, $"chart {i} is drawn {box?.Width}×{box?.Height}");
        }
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.Contains("收缴率", await page.Locator("#collection h2").InnerTextAsync());
        await page.SetViewportSizeAsync(1280, 900);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = true });
        var lines = await page.Locator("#ledger table.ledger tbody tr").CountAsync();
        Assert.True(lines > 3, $"{lines} ledger lines: {await page.Locator("#ledger").InnerTextAsync()}");

        await page.GotoAsync(new Uri(Url, "/transparency?lang=en").ToString());
        Assert.Contains("Fee collection", await page.Locator("#collection h2").InnerTextAsync());

        var elsewhere = await page.GotoAsync(new Uri(Url, "/transparency/syn0001").ToString());
        Assert.Equal(404, elsewhere!.Status);

        var stranger = await (await Browser.NewContextAsync()).NewPageAsync();
        await stranger.GotoAsync(new Uri(Url, "/transparency").ToString());
        await stranger.WaitForURLAsync(new Regex(@"/signin\?returnUrl="));
        Assert.Equal(0, await stranger.Locator("svg.chart").CountAsync());
    }
}
