using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Linli.Tests.Support;
using Microsoft.Playwright;

namespace Linli.Tests.EndToEnd;

/// <summary>
/// The staff console and the resident's Web Chat side by side, in two headless Chromium contexts against one real
/// Linli process: what a resident reports appears in the open console without a reload, and what staff do reaches the chat.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class StaffConsoleBrowserTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private HostProcess _host = null!;
    private Uri _url = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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

    /// <summary>Opens the console the way staff do: the page sends them to sign in, and back once they have.</summary>
    private async Task<IPage> OpenConsoleAsync(string userName, Func<IPage, Task>? before = null)
    {
        var page = await (await _browser.NewContextAsync()).NewPageAsync();
        if (before is not null) await before(page);
        await page.GotoAsync(new Uri(_url, "/console").ToString());
        await page.WaitForURLAsync(new Regex(@"/signin\?returnUrl=%2Fconsole$"));
        await page.FillAsync("input[name=UserName]", userName);
        await page.FillAsync("input[name=Password]", Linli.Seeding.DemoAccounts.Password);
        await page.ClickAsync("form[action*='handler=Staff'] button[type=submit]");
        await page.WaitForURLAsync(new Regex(@"/console$"));
        await Connected(page);
        return page;
    }

    private static Task Connected(IPage page) => page.Locator("body[data-connection=connected]").WaitForAsync(new() { Timeout = 15_000 });

    private static ILocator Bubble(IPage page, string text) => Chromium.Bubble(page, text);

    [Fact]
    public async Task ARepairFromWebChatAppearsLiveStaffClaimAndReplyInTheChatAndResolvingAsksForARating()
    {
        var console = await OpenConsoleAsync("repair1");

        var chat = await (await _browser.NewContextAsync()).NewPageAsync();
        await chat.GotoAsync(_url.ToString());
        await Bubble(chat, "您好，我是邻里小助手").WaitForAsync(new() { Timeout = 15_000 });
        var input = chat.Locator("[data-id='webchat-sendbox-input']");
        async Task Type(string text, string expect)
        {
            await input.FillAsync(text);
            await input.PressAsync("Enter");
            await Bubble(chat, expect).WaitForAsync(new() { Timeout = 10_000 });
        }
        async Task Tap(string button, string expect)
        {
            await chat.GetByRole(AriaRole.Button, new() { Name = button }).Last.ClickAsync();
            await Bubble(chat, expect).WaitForAsync(new() { Timeout = 10_000 });
        }
        await Type("我要报修", "是家里要修，还是公共区域？");
        await Tap("公共区域", "在哪里？");
        await Type("5栋大堂", "是哪一类问题？");
        await Tap("门禁", "请简单说说是什么情况。");
        await Type("大堂门禁刷卡没反应", "没有就点“跳过”");
        await Tap("跳过", "急不急？");
        await Tap("很急", "师傅什么时候上门方便？");
        await Tap("越快越好", "已登记报修");
        var number = TicketNumber().Match(await chat.Locator("#webchat").InnerTextAsync()).Value;
        Assert.NotEmpty(number);

        // In the console that was already open: the new ticket, without a reload, with its SLA countdown.
        var row = console.Locator($"#queue tr[data-number='{number}']");
        await row.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Matches(@"^剩\d", await row.Locator("td.sla").InnerTextAsync());
        await row.ClickAsync();
        var ticket = console.Locator("#ticket");
        // The resident's conversation, as it happened.
        await ticket.Locator(".conversation li.user").GetByText("大堂门禁刷卡没反应").WaitForAsync(new() { Timeout = 15_000 });

        await ticket.Locator("button[data-action=claim]").ClickAsync();
        await ticket.Locator("dd.assignee").GetByText("维修").Or(ticket.Locator("dd.assignee").Filter(new() { HasNotText = "—" })).First.WaitForAsync(new() { Timeout = 15_000 });
        Assert.NotEqual("—", await ticket.Locator("dd.assignee").InnerTextAsync());

        await ticket.Locator("textarea.reply").FillAsync("师傅五分钟到大堂，请稍等。");
        await ticket.Locator("button[data-action=send]").ClickAsync();
        await Bubble(chat, "师傅五分钟到大堂，请稍等。").WaitForAsync(new() { Timeout = 10_000 });
        // What staff wrote shows in the watched conversation too.
        await ticket.Locator(".conversation li.staff").GetByText("师傅五分钟到大堂，请稍等。").WaitForAsync(new() { Timeout = 15_000 });

        await ticket.Locator("button[data-action=resolve]").ClickAsync();
        await Bubble(chat, "这次处理得怎么样？").WaitForAsync(new() { Timeout = 10_000 });
        await Tap("5分 很满意", "还有什么想说的？");
        await Tap("跳过", "谢谢您的评价！");
        // The rating appears in the console live.
        await ticket.Locator("dd.rating").GetByText("★★★★★").WaitForAsync(new() { Timeout = 15_000 });
        await console.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "linli-console.png"), FullPage = true });
        await chat.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "linli-console-chat.png") });
    }

    [Fact]
    public async Task ADroppedConsoleReconnectsAndShowsTheEmergencyThatCameInWhileItWasAway()
    {
        var away = false;
        var sockets = new List<IWebSocketRoute>();
        var console = await OpenConsoleAsync("manager", async page =>
        {
            // Stand between the page and the hub, so the test can cut the line and keep it cut for a while.
            await page.RouteWebSocketAsync(new Regex("/hubs/staff"), ws =>
            {
                if (Volatile.Read(ref away)) { _ = ws.CloseAsync(); return; }
                ws.ConnectToServer();
                lock (sockets) sockets.Add(ws);
            });
            await page.RouteAsync(new Regex("/hubs/staff/negotiate"), route => Volatile.Read(ref away) ? route.AbortAsync() : route.ContinueAsync());
        });

        Volatile.Write(ref away, true);
        List<IWebSocketRoute> open;
        lock (sockets) open = [.. sockets];
        foreach (var ws in open) await ws.CloseAsync();
        await console.Locator("body[data-connection=reconnecting]").WaitForAsync(new() { Timeout = 15_000 });

        // While the console is away, a resident reports a fire over Direct Line.
        using var http = new HttpClient { BaseAddress = _url };
        var resident = await ResidentChat.StartAsync(http);
        Assert.StartsWith("请先保证安全！", (await resident.SayAsync("着火了！"))[0]);
        using var staff = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = _url };
        (await staff.PostAsJsonAsync("/api/auth/signin", new { userName = "service", password = Linli.Seeding.DemoAccounts.Password }, Ct)).EnsureSuccessStatusCode();
        var emergencies = await staff.GetFromJsonAsync<JsonElement>("/api/communities/citong/tickets?kind=emergency", Ct);
        var number = emergencies.EnumerateArray().Single().GetProperty("number").GetString()!;
        var card = console.Locator($"#emergencies article[data-number='{number}']");
        await Task.Delay(1_000, Ct);
        Assert.Equal(0, await card.CountAsync());   // really away: nothing arrived

        // The line comes back: the console reconnects by itself and catches up.
        Volatile.Write(ref away, false);
        await Connected(console);
        await card.WaitForAsync(new() { Timeout = 15_000 });

        // The 1-3-5 ladder from the emergency view, each step time-stamped, and told to the resident.
        await card.Locator("button[data-step=acknowledge]").ClickAsync();
        await card.Locator("li.done").First.WaitForAsync(new() { Timeout = 15_000 });
        await card.Locator("button[data-step=on_the_way]").ClickAsync();
        await card.Locator("li.done").Nth(1).WaitForAsync(new() { Timeout = 15_000 });
        var ladder = (await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Ct)).GetProperty("ladder");
        Assert.Equal(JsonValueKind.String, ladder.GetProperty("acknowledgedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, ladder.GetProperty("onTheWayAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, ladder.GetProperty("onSiteAt").ValueKind);
        var heard = await resident.HeardAsync();
        Assert.Contains(heard, h => h.StartsWith("值班人员已收到您的紧急求助"));
        await console.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "linli-console-emergency.png"), FullPage = true });
    }

    [Fact]
    public async Task AResidentSignedInByPhoneIsNotLetIntoTheConsole()
    {
        var page = await (await _browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(new Uri(_url, "/signin?returnUrl=%2Fconsole").ToString());
        await page.FillAsync("input[name=Unit]", "3栋502");
        await page.FillAsync("input[name=Phone]", "13800138000");
        await page.ClickAsync("form[action*='handler=ResidentStart'] button[type=submit]");
        await page.GetByText("验证码已发到 138****8000").WaitForAsync(new() { Timeout = 15_000 });
        // The demo sends no SMS: the code is printed where Linli runs.
        var code = await EventuallyAsync(() => CodeLine().Matches(_host.Stdout).LastOrDefault()?.Groups[1].Value);
        await page.FillAsync("input[name=Code]", code);
        await page.ClickAsync("form[action*='handler=ResidentCode'] button[type=submit]");
        // Signed in as the resident of 3栋502, and sent back from the staff page to sign in as staff.
        await page.WaitForURLAsync(new Regex(@"/signin\?returnUrl=%2Fconsole&denied=true$"));
        await page.GetByText("这个页面只对工作人员开放").WaitForAsync();
        var me = await page.EvaluateAsync<JsonElement>("fetch('/api/auth/me').then(r => r.json())");
        Assert.Equal("Resident", me.GetProperty("roles")[0].GetString());
        Assert.Equal(401, await page.EvaluateAsync<int>("fetch('/api/auth/signin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userName: 'manager', password: 'wrong' }) }).then(r => r.status)"));
    }

    private static async Task<string> EventuallyAsync(Func<string?> read)
    {
        for (var i = 0; i < 50; i++)
        {
            if (read() is { Length: > 0 } value) return value;
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("Nothing turned up.");
    }

    [GeneratedRegex(@"\b(BX|TS|YH|JJ|TJ|RG)-\d{8}-\d{4}\b")]
    private static partial Regex TicketNumber();

    [GeneratedRegex(@"One-time code for [^:]+: (\d{6})")]
    private static partial Regex CodeLine();
}
