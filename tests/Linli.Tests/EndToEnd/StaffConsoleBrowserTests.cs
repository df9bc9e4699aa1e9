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
public sealed class StaffConsoleBrowserTests : BrowserTest
{
    /// <summary>Opens the console the way staff do: the page sends them to sign in, and back once they have.</summary>
    private async Task<IPage> OpenConsoleAsync(string userName, Func<IPage, Task>? before = null)
    {
        var page = await SignInAsync(userName, "/console", before);
        await Connected(page);
        return page;
    }

    private static Task Connected(IPage page) => page.Locator("body[data-connection=connected]").WaitForAsync(new() { Timeout = 15_000 });

    [Fact]
    public async Task ARepairFromWebChatAppearsLiveStaffClaimAndReplyInTheChatAndResolvingAsksForARating()
    {
        var console = await OpenConsoleAsync("repair1");

        var resident = await WebChatResident.OpenAsync(Browser, Url);
        var chat = resident.Page;
        var number = await resident.ReportRepairAsync("5栋大堂", "门禁", "大堂门禁刷卡没反应");
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
        await resident.TapAsync("5分 很满意", "还有什么想说的？");
        await resident.TapAsync("跳过", "谢谢您的评价！");
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
        // Dropped: retrying (or, when the drop came while connecting, offline and retrying later).
        await console.Locator("body[data-connection=reconnecting], body[data-connection=offline]")
            .WaitForAsync(new() { Timeout = 15_000 });

        // While the console is away, a resident reports a fire over Direct Line.
        using var http = new HttpClient { BaseAddress = Url };
        var resident = await ResidentChat.StartAsync(http);
        Assert.StartsWith("请先保证安全！", (await resident.SayAsync("着火了！"))[0]);
        using var staff = await StaffAsync("service");
        // The new one (the demo's emergencies were dealt with long ago).
        var emergencies = await staff.GetFromJsonAsync<JsonElement>(
            "/api/communities/citong/tickets?kind=emergency&status=new", Ct);
        var number = emergencies.EnumerateArray().Single().GetProperty("number").GetString()!;
        var card = console.Locator($"#emergencies article[data-number='{number}']");
        // Really away: the ticket exists, and the console, still not connected, has not shown it.
        Assert.Equal(0, await card.CountAsync());
        Assert.Equal(1, await console.Locator(
            "body[data-connection=reconnecting], body[data-connection=offline]").CountAsync());

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
        var heard = await resident.WaitForAsync("值班人员已收到您的紧急求助");
        Assert.Contains(heard, h => h.StartsWith("值班人员已收到您的紧急求助"));
        await console.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "linli-console-emergency.png"), FullPage = true });
    }

    [Fact]
    public async Task AResidentSignedInByPhoneIsNotLetIntoTheConsole()
    {
        var page = await SignInByPhoneAsync("/console");
        // Signed in as the resident of 3栋502, and sent back from the staff page to sign in as staff.
        await page.WaitForURLAsync(new Regex(@"/signin\?returnUrl=%2Fconsole&denied=true$"));
        await page.GetByText("这个页面只对工作人员开放").WaitForAsync();
        var me = await page.EvaluateAsync<JsonElement>("fetch('/api/auth/me').then(r => r.json())");
        Assert.Equal("Resident", me.GetProperty("roles")[0].GetString());
        Assert.Equal(401, await page.EvaluateAsync<int>("fetch('/api/auth/signin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userName: 'manager', password: 'wrong' }) }).then(r => r.status)"));
    }
}
