using System.Text.RegularExpressions;
using Linli.Tests.Support;
using Microsoft.Playwright;

namespace Linli.Tests.EndToEnd;

/// <summary>
/// The tea table in headless Chromium against a real Linli process: two neighbours in two browser contexts see each
/// other's posts live, a volunteer hides a post and it disappears for both, a locked thread takes no more posts, and
/// hostile markup stays inert.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TeaTableBrowserTests : BrowserTest
{
    private async Task<IPage> ResidentAsync(string returnUrl)
    {
        var page = await SignInByPhoneAsync(returnUrl);
        await ArrivedAsync(page, new Regex(Regex.Escape(returnUrl) + "$"));
        return page;
    }

    private static ILocator Post(IPage page, string text) =>
        page.Locator("#posts li.post").Filter(new() { HasText = text });

    private static Task Live(IPage page) =>
        page.Locator("body[data-connection=connected]").WaitForAsync(new() { Timeout = 15_000 });

    [Fact]
    public async Task NeighboursSeeEachOtherLiveAVolunteerHidesAPostForBothAndALockedThreadTakesNoMore()
    {
        // A neighbour starts a thread from the list page.
        var alice = await ResidentAsync("/tea");
        await alice.FillAsync("#new-thread input[name=title]", "广场舞音乐太响");
        await alice.FillAsync("#new-thread textarea[name=text]", "晚上九点后能不能小声一点？");
        await alice.ClickAsync("#new-thread button[type=submit]");
        await alice.WaitForURLAsync(new Regex(@"/tea/\d+$"));
        var threadPath = new Uri(alice.Url).AbsolutePath;
        await Live(alice);

        var bob = await SignInAsync("committee1", threadPath);
        await Live(bob);
        await Post(bob, "晚上九点后能不能小声一点？").WaitForAsync();
        await alice.Locator("#presence").GetByText("2 位邻居在看").WaitForAsync(new() { Timeout = 15_000 });

        // Each sees the other's post without reloading.
        await bob.FillAsync("#composer textarea", "同意，可以改到广场东边。");
        await bob.ClickAsync("#composer button[type=submit]");
        await Post(alice, "同意，可以改到广场东边。").WaitForAsync(new() { Timeout = 15_000 });
        await alice.FillAsync("#composer textarea", "好主意，我去跟领队说。");
        await alice.ClickAsync("#composer button[type=submit]");
        await Post(bob, "好主意，我去跟领队说。").WaitForAsync(new() { Timeout = 15_000 });

        // Hostile markup arrives inert for the other reader.
        await bob.EvaluateAsync("window.__xss = 0");
        await alice.FillAsync("#composer textarea",
            "<img src=x onerror=\"window.__xss=1\"> [看这里](javascript:window.__xss=2) " +
            "<script>window.__xss=3</script>");
        await alice.ClickAsync("#composer button[type=submit]");
        var hostile = Post(bob, "看这里");
        await hostile.WaitForAsync(new() { Timeout = 15_000 });
        await bob.WaitForTimeoutAsync(300);
        Assert.Equal(0, await bob.EvaluateAsync<int>("window.__xss"));
        Assert.Equal(0, await hostile.Locator("img[onerror], script, [href^='javascript']").CountAsync());
        await hostile.GetByText("看这里").ClickAsync(new() { Force = true });
        Assert.Equal(0, await bob.EvaluateAsync<int>("window.__xss"));

        // The committee member puts it to a vote; the resident (an owner) votes; the tally moves on both pages.
        await bob.ClickAsync("#thread-head details summary");
        const string rule = "晚上九点后音量不超过 60 分贝";
        await bob.FillAsync("#thread-head form.propose textarea[name=text]", rule);
        await bob.SelectOptionAsync("#thread-head form.propose select[name=matter]", "HouseRules");
        await bob.FillAsync("#thread-head form.propose input[name=deadline]",
            DateTime.Now.AddDays(3).ToString("yyyy-MM-ddTHH:mm"));
        await bob.ClickAsync("#thread-head form.propose button[type=submit]");
        await alice.Locator("#proposal").GetByText(rule).WaitForAsync(new() { Timeout = 15_000 });
        await alice.Locator("#proposal button[data-vote=Agree]").ClickAsync();
        await bob.Locator("#proposal tr[data-stance=agree] td.owners").GetByText("1 户")
            .WaitForAsync(new() { Timeout = 15_000 });
        await alice.Locator("#proposal").GetByText("您家的选择: 同意").WaitForAsync(new() { Timeout = 15_000 });
        await bob.GetByRole(AriaRole.Button, new() { Name = "查看每户投票（业委会）" }).ClickAsync();
        await bob.Locator("#votes").GetByText("3栋502").WaitForAsync(new() { Timeout = 15_000 });
        var votesButton = alice.GetByRole(AriaRole.Button, new() { Name = "查看每户投票（业委会）" });
        Assert.Equal(0, await votesButton.CountAsync());

        // A rude post, hidden by a volunteer: gone from both neighbours' pages.
        await bob.FillAsync("#composer textarea", "跳舞的人都没素质！");
        await bob.ClickAsync("#composer button[type=submit]");
        await Post(alice, "跳舞的人都没素质！").WaitForAsync(new() { Timeout = 15_000 });
        var volunteer = await SignInAsync("volunteer1", threadPath);
        await Live(volunteer);
        volunteer.Dialog += async (_, dialog) => await dialog.AcceptAsync("不文明用语");
        await Post(volunteer, "跳舞的人都没素质！").Locator("button[data-action=hide]").ClickAsync();
        await Post(alice, "跳舞的人都没素质！")
            .WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 15_000 });
        await Post(bob, "跳舞的人都没素质！")
            .WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 15_000 });
        await Post(alice, "同意，可以改到广场东边。").WaitForAsync();   // the rest stays

        // Locked: the composer goes for both, and a post sent anyway is refused.
        await volunteer.Locator("button[data-action=lock]").ClickAsync();
        await alice.Locator("#composer").WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 15_000 });
        await bob.Locator("#thread-head").GetByText("已锁定").WaitForAsync(new() { Timeout = 15_000 });
        var threadId = threadPath.Split('/')[^1];
        var status = await alice.EvaluateAsync<int>(
            $"fetch('/api/tea/threads/{threadId}/posts', {{ method: 'POST', " +
            "headers: { 'Content-Type': 'application/json' }, " +
            "body: JSON.stringify({ text: '我还想说' }) }).then(r => r.status)");
        Assert.Equal(409, status);
        var screenshot = Path.Combine(Path.GetTempPath(), "linli-tea-thread.png");
        await alice.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
    }
}
