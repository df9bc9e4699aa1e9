using System.Net;
using System.Text.Json;
using Linli.TeaTable;
using Linli.Tests.Support;

namespace Linli.Tests.TeaTable;

/// <summary>
/// The tea table over HTTP: residents start threads, reply, quote, react, page and summarise; what they write is
/// rendered inert.
/// </summary>
public sealed class TeaTableApiTests : TeaTableHttpTest
{
    [Fact]
    public async Task NeighboursStartAThreadReplyQuoteReactAndPageThroughIt()
    {
        var alice = await ResidentWeb.SignInAsync(App, "3栋501");
        var bob = await ResidentWeb.SignInAsync(App, "5栋301");
        var thread = await StartThreadAsync(alice);
        var opened = await Json(await Get(bob, $"threads/{thread}"), HttpStatusCode.OK);
        var first = opened.GetProperty("posts")[0].GetProperty("id").GetInt32();

        var reply = await PostAsync(bob, thread, "同意，**东侧**离电房近。", replyTo: first);
        Assert.Equal(first, reply.GetProperty("replyTo").GetInt32());
        // Neighbours appear by surname and building, not by full name; staff by title and name.
        Assert.Matches(@"^\p{L}\*{1,2} · 5栋$", reply.GetProperty("authorName").GetString());
        var manager = await StaffClient.SignInAsync(App, "manager");
        var staffPost = await PostAsync(manager, thread, "物业会配合。");
        Assert.StartsWith("物业经理 ", staffPost.GetProperty("authorName").GetString());
        Assert.Contains("<strong>东侧</strong>", reply.GetProperty("html").GetString());
        var replyId = reply.GetProperty("id").GetInt32();
        var reacted = await Json(
            await PostJson(alice, $"posts/{replyId}/reactions", new { emoji = "👍" }), HttpStatusCode.OK);
        Assert.Equal(1, reacted.GetProperty("reactions").GetProperty("👍").GetInt32());
        Assert.Equal(["👍"], reacted.GetProperty("mine").EnumerateArray().Select(e => e.GetString()));
        var unknown = await PostJson(alice, $"posts/{first}/reactions", new { emoji = "<b>" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        for (var i = 0; i < 5; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(15));
            await PostAsync(i % 2 == 0 ? alice : bob, thread, $"第{i}条");
        }
        var latest = await Json(await Get(alice, $"threads/{thread}?take=3"), HttpStatusCode.OK);
        Assert.Equal(["第2条", "第3条", "第4条"], Texts(latest));
        Assert.True(latest.GetProperty("more").GetBoolean());
        var oldestShown = latest.GetProperty("posts")[0].GetProperty("id").GetInt32();
        var older = await Json(await Get(alice, $"threads/{thread}?take=3&before={oldestShown}"), HttpStatusCode.OK);
        Assert.Equal(3, older.GetProperty("posts").GetArrayLength());
        var after = await Json(await Get(alice, $"threads/{thread}?after={first}"), HttpStatusCode.OK);
        Assert.Equal(7, after.GetProperty("posts").GetArrayLength());
        Assert.Equal(8, after.GetProperty("thread").GetProperty("postCount").GetInt32());

        var list = await Json(await Get(bob, "threads"), HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(),
            t => t.GetProperty("id").GetInt32() == thread
                && t.GetProperty("title").GetString() == "充电桩装在哪里？");

        // Another community's residents do not see it at all.
        var stranger = await ResidentWeb.SignInAsync(App, "1栋101", communityId: "syn0001");
        await Problem(await Get(stranger, $"threads/{thread}"), HttpStatusCode.NotFound);
        var theirs = await Json(await Get(stranger, "threads"), HttpStatusCode.OK);
        Assert.DoesNotContain(theirs.EnumerateArray(), t => t.GetProperty("id").GetInt32() == thread);
        await Problem(await Get(App.CreateClient(), "threads"), HttpStatusCode.Unauthorized);
    }

    private static IEnumerable<string> Texts(JsonElement page) =>
        page.GetProperty("posts").EnumerateArray().Select(p => StripP(p.GetProperty("html").GetString()));

    private static string StripP(string? html) => (html ?? "").Replace("<p>", "").Replace("</p>", "").Trim();

    [Theory]
    [InlineData("<script>alert(1)</script>你好")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[点我](javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">点我</a>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("[x](JaVaScRiPt:alert(1))")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">x</div>")]
    public void PostsRenderInert(string text)
    {
        // Read the result as a browser would: no active element, no event handler, no script URL, no style (what is
        // left of the input may be shown as text, which is harmless).
        var html = "<body>" + PostRenderer.Render(text) + "</body>";
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var elements = document.Body!.QuerySelectorAll("*").ToList();
        Assert.DoesNotContain(elements,
            e => e.LocalName is "script" or "iframe" or "svg" or "object" or "embed" or "style" or "form");
        foreach (var element in elements)
            foreach (var attribute in element.Attributes)
            {
                var named = $"{element.LocalName} {attribute.Name}={attribute.Value}";
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), named);
                Assert.NotEqual("style", attribute.Name);
                Assert.False(
                    attribute.Value.Trim().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase), named);
            }
    }

    [Fact]
    public void SafeFormattingAndLinksSurvive()
    {
        var html = PostRenderer.Render("**重要**：见 https://example.org/rules 和 [公告](https://example.org/n)\n- 一\n- 二");
        Assert.Contains("<strong>重要</strong>", html);
        Assert.Contains("href=\"https://example.org/n\"", html);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html);
        Assert.Contains("<li>一</li>", html);
    }

    [Fact]
    public async Task AFloodIsRefused()
    {
        var alice = await ResidentWeb.SignInAsync(App, "3栋501");
        var thread = await StartThreadAsync(alice);
        for (var i = 0; i < 5; i++) await PostAsync(alice, thread, $"刷屏{i}");
        var refused = await Problem(await PostJson(alice, $"threads/{thread}/posts", new { text = "再来" }),
            (HttpStatusCode)429);
        Assert.Equal("Too many posts", refused.GetProperty("title").GetString());
        Assert.Equal(6, Db.TeaPosts.Count(p => p.ThreadId == thread));
    }

    [Fact]
    public async Task WithoutAModelTheSummaryIsTheMostReactedPostsAndTheCount()
    {
        var alice = await ResidentWeb.SignInAsync(App, "3栋501");
        var bob = await ResidentWeb.SignInAsync(App, "5栋301");
        var thread = await StartThreadAsync(alice, "停车收益怎么用", "建议用来修健身器材。");
        var popular = (await PostAsync(bob, thread, "我觉得先补公维金。")).GetProperty("id").GetInt32();
        await PostJson(alice, $"posts/{popular}/reactions", new { emoji = "👍" });
        var summary = await Json(await Get(alice, $"threads/{thread}/summary"), HttpStatusCode.OK);
        Assert.Equal("offline", summary.GetProperty("source").GetString());
        Assert.StartsWith("2 条发言，2 位邻居参与。", summary.GetProperty("text").GetString());
        Assert.Contains("我觉得先补公维金。（1 人回应）", summary.GetProperty("text").GetString());
        Assert.Equal(popular, summary.GetProperty("mostReacted")[0].GetProperty("id").GetInt32());
    }
}
