using System.Text.RegularExpressions;
using Linli.Tests.Support;
using Microsoft.Playwright;

namespace Linli.Tests.EndToEnd;

/// <summary>
/// An admin makes an account in the browser; its new owner signs in, sets their own password, and works.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AdminBrowserTests : BrowserTest
{
    [Fact]
    public async Task AnAdminCreatesAStaffAccountAndTheNewPersonSetsAPasswordThenSeesTheConsole()
    {
        var admin = await SignInAsync("admin", "/admin");
        await admin.Locator("#accounts tbody tr[data-user=manager]").WaitForAsync(new() { Timeout = 15_000 });
        await admin.FillAsync("#new-account input[name=userName]", "plumber7");
        await admin.FillAsync("#new-account input[name=name]", "黄师傅");
        await admin.FillAsync("#new-account input[name=title]", "水电工");
        await admin.FillAsync("#new-account input[name=phone]", "13911112222");
        await admin.FillAsync("#new-account input[name=password]", "First-Temp-Pass-1");
        await admin.ClickAsync("#new-account button[type=submit]");
        var row = admin.Locator("#accounts tbody tr[data-user=plumber7]");
        await row.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Contains("139****2222", await row.InnerTextAsync());
        Assert.Contains("待改密码", await row.InnerTextAsync());

        var page = await (await Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(new Uri(Url, "/console").ToString());
        await page.WaitForURLAsync(new Regex(@"/signin\?returnUrl="));
        await page.FillAsync("input[name=UserName]", "plumber7");
        await page.FillAsync("input[name=Password]", "First-Temp-Pass-1");
        await page.ClickAsync("form[action*='handler=Staff'] button[type=submit]");
        await ArrivedAsync(page, new Regex("/account/password"));
        await page.Locator("#must-change").WaitForAsync();
        await page.FillAsync("input[name=Current]", "First-Temp-Pass-1");
        await page.FillAsync("input[name=New]", "1234567890");
        await page.FillAsync("input[name=Confirm]", "1234567890");
        await page.ClickAsync("form button[type=submit]");
        Assert.Contains("常见", await page.Locator("#password-error").InnerTextAsync());
        await page.FillAsync("input[name=Current]", "First-Temp-Pass-1");
        await page.FillAsync("input[name=New]", "Osmanthus-Lane-2026");
        await page.FillAsync("input[name=Confirm]", "Osmanthus-Lane-2026");
        await page.ClickAsync("form button[type=submit]");
        await ArrivedAsync(page, new Regex("/console$"));
        await page.Locator("body[data-connection=connected]").WaitForAsync(new() { Timeout = 15_000 });

        // The admin's page shows the account as set up now.
        await admin.ReloadAsync();
        var updated = admin.Locator("#accounts tbody tr[data-user=plumber7]");
        await updated.WaitForAsync();
        Assert.Contains("正常", await updated.InnerTextAsync());
    }
}
