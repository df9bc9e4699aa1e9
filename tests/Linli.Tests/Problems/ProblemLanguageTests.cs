using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.TeaTable;
using Linli.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Linli.Tests.Problems;

/// <summary>
/// A refusal is said in the language the caller's browser asks for: Chinese for any zh, English otherwise and
/// without the header, with Content-Language; on the hubs too.
/// </summary>
public sealed class ProblemLanguageTests : IDisposable
{
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage answer, HttpStatusCode status,
        string language)
    {
        Assert.Equal(status, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal([language], answer.Content.Headers.ContentLanguage);
        return await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static HttpRequestMessage Get(string path, string? language)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (language is not null) request.Headers.Add("Accept-Language", language);
        return request;
    }

    private static (string? Title, string? Detail) Said(JsonElement problem) =>
        (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString());

    [Theory]
    [InlineData(null, "en", "Community not found", "No community has the id 'nowhere'.")]
    [InlineData("en-US,en;q=0.9", "en", "Community not found", "No community has the id 'nowhere'.")]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN", "没有这个小区", "没有编号为 'nowhere' 的小区。")]
    [InlineData("en;q=0.4, zh-Hans;q=0.8", "zh-CN", "没有这个小区", "没有编号为 'nowhere' 的小区。")]
    public async Task AnUnknownCommunityIsSaidInTheAskedLanguage(string? asked, string language, string title,
        string detail)
    {
        var answer = await _app.CreateClient().SendAsync(Get("/api/communities/nowhere", asked), Ct);
        Assert.Equal((title, detail), Said(await ProblemAsync(answer, HttpStatusCode.NotFound, language)));
    }

    [Fact]
    public async Task AFieldAtFaultIsNamedInEitherLanguage()
    {
        var path = "/api/communities/citong/collection-rate?from=2026-13";
        var english = await ProblemAsync(await _app.CreateClient().SendAsync(Get(path, null), Ct),
            HttpStatusCode.BadRequest, "en");
        var chinese = await ProblemAsync(await _app.CreateClient().SendAsync(Get(path, "zh"), Ct),
            HttpStatusCode.BadRequest, "zh-CN");
        Assert.Equal("'2026-13' is not a month like 2026-03.", english.GetProperty("errors").GetProperty("from")[0]
            .GetString());
        Assert.Equal(("填写有误", "'2026-13' 不是月份，请写成 2026-03 这样。"), Said(chinese));
        Assert.Equal("'2026-13' 不是月份，请写成 2026-03 这样。",
            chinese.GetProperty("errors").GetProperty("from")[0].GetString());
    }

    [Fact]
    public async Task StaffAreRefusedInChineseWhenTheirBrowserSpeaksIt()
    {
        var manager = await StaffClient.SignInAsync(_app, "manager");
        manager.DefaultRequestHeaders.Add("Accept-Language", "zh-CN,zh;q=0.9");
        var answer = await manager.GetAsync("/api/communities/syn0001/tickets", Ct);
        var problem = await ProblemAsync(answer, HttpStatusCode.Forbidden, "zh-CN");
        Assert.Equal(("不是您的小区", "您不是小区 'syn0001' 的物业人员。"), Said(problem));

        var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signin")
        {
            Content = JsonContent.Create(new { userName = "manager", password = "wrong-password-1" }),
        };
        signIn.Headers.Add("Accept-Language", "zh-CN");
        var wrong = await ProblemAsync(await _app.CreateClient().SendAsync(signIn, Ct), HttpStatusCode.Unauthorized,
            "zh-CN");
        const string lockout = "密码错 5 次后账号要等 15 分钟，管理员可以重置。";
        Assert.Equal(("用户名或密码不对", lockout), Said(wrong));
    }

    [Theory]
    [InlineData("status=3")]
    [InlineData("status=Resolved,Closed")]
    [InlineData("status=solved")]
    public async Task TheTicketListAndItsChangeRefuseAStatusThatIsNotANameAlike(string query)
    {
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var tickets = await manager.GetFromJsonAsync<JsonElement>("/api/communities/citong/tickets?take=1", Ct);
        var number = tickets[0].GetProperty("number").GetString();
        var status = query["status=".Length..];

        var listed = await ProblemAsync(await manager.GetAsync($"/api/communities/citong/tickets?{query}", Ct),
            HttpStatusCode.BadRequest, "en");
        var patched = await ProblemAsync(
            await manager.PatchAsJsonAsync($"/api/tickets/{number}", new { status }, Ct),
            HttpStatusCode.BadRequest, "en");
        foreach (var problem in new[] { listed, patched })
        {
            Assert.Equal("Unknown status", problem.GetProperty("title").GetString());
            Assert.StartsWith("status must be one of New, ", problem.GetProperty("detail").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
        }
        var byName = await manager.GetAsync("/api/communities/citong/tickets?status=resolved", Ct);
        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
    }

    [Fact]
    public async Task AHubRefusalIsSaidInTheLanguageOfTheConnectionsRequest()
    {
        var cookie = await TestCookies.ResidentAsync(_app, ResidentWeb.LinkFor(_app, "3栋501"));
        await using var chinese = Connect(cookie, "zh-CN,zh;q=0.9");
        await using var english = Connect(cookie, null);
        await Task.WhenAll(chinese.StartAsync(Ct), english.StartAsync(Ct));

        var refused = await Assert.ThrowsAsync<HubException>(
            () => chinese.InvokeAsync<JoinResult>("Join", 999_999, 0, Ct));
        Assert.Contains("本小区没有话题 999999。", refused.Message);
        var inEnglish = await Assert.ThrowsAsync<HubException>(
            () => english.InvokeAsync<JoinResult>("Join", 999_999, 0, Ct));
        Assert.Contains("No thread 999999 in your community.", inEnglish.Message);
    }

    private HubConnection Connect(string cookie, string? language) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(_app.Server.BaseAddress, TeaTableHub.Path.TrimStart('/')), o =>
            {
                o.HttpMessageHandlerFactory = _ => _app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.Headers["Cookie"] = cookie;
                if (language is not null) o.Headers["Accept-Language"] = language;
            })
            .Build();
}
