using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Storage;
using Linli.TeaTable;
using Linli.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Security;

/// <summary>What costs Linli or its residents something is limited per client, per chat, per account and per hub connection.</summary>
public sealed class RateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        Assert.Equal(429, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task NewChatsArePerClientAndTheRefusedOneStartsNothing()
    {
        using var app = new LinliAppFactory(new() { ["RateLimits:conversations:PermitLimit"] = "3" });
        var http = app.CreateClient();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/chat/token", new { locale = "zh-CN" }, Ct)).StatusCode);
        await AssertTooManyAsync(await http.PostAsJsonAsync("/api/chat/token", new { locale = "zh-CN" }, Ct));
        Assert.Equal(3, app.Services.GetRequiredService<LinliDatabase>().DirectLineConversations.Count());
    }

    [Fact]
    public async Task SignInAttemptsAreLimitedBeforeAnyPasswordIsChecked()
    {
        using var app = new LinliAppFactory(new() { ["RateLimits:signin:PermitLimit"] = "2" });
        var http = app.CreateClient();
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/auth/signin", new { userName = "manager", password = "guess" + i }, Ct)).StatusCode);
        await AssertTooManyAsync(await http.PostAsJsonAsync("/api/auth/signin", new { userName = "manager", password = "guess" }, Ct));
        // The refused attempt never reached the account: two failures counted, not three.
        Assert.Equal(2, app.Services.GetRequiredService<LinliDatabase>().Accounts.FindById("manager").FailedAttempts);
    }

    [Fact]
    public async Task MessagesArePerConversationSoOneChatCannotFloodAnother()
    {
        using var app = new LinliAppFactory(new() { ["RateLimits:chat:PermitLimit"] = "2" });
        var dl = new DirectLineTestClient(app.CreateClient());
        var first = await dl.StartAsUserAsync(ct: Ct);
        var second = await dl.StartAsUserAsync(ct: Ct);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await dl.PostAsync(first, DirectLineTestClient.Message("你好"), ct: Ct)).StatusCode);
        await AssertTooManyAsync(await dl.PostAsync(first, DirectLineTestClient.Message("你好"), ct: Ct));
        Assert.Equal(HttpStatusCode.OK, (await dl.PostAsync(second, DirectLineTestClient.Message("你好"), ct: Ct)).StatusCode);
    }

    [Fact]
    public async Task TheParseEndpointIsLimited()
    {
        using var app = new LinliAppFactory(new() { ["RateLimits:parse:PermitLimit"] = "1" });
        var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/nlu/parse", new { text = "我家漏水了" }, Ct)).StatusCode);
        await AssertTooManyAsync(await http.PostAsJsonAsync("/api/nlu/parse", new { text = "我家漏水了" }, Ct));
    }

    [Fact]
    public async Task HubTypingIsLimitedPerConnectionAndShowsOnlyThePublicName()
    {
        using var app = new LinliAppFactory();
        var alice = await ResidentWeb.SignInAsync(app, "3栋501");
        var thread = (await (await alice.PostAsJsonAsync("/api/tea/threads", new { title = "充电桩", text = "装哪里" }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt32();
        await using var typist = TestHubs.Connect(app, TeaTableHub.Path, await TestCookies.ResidentAsync(app, ResidentWeb.LinkFor(app, "3栋501")));
        await using var reader = TestHubs.Connect(app, TeaTableHub.Path, await TestCookies.ResidentAsync(app, ResidentWeb.LinkFor(app, "5栋301")));
        var names = System.Threading.Channels.Channel.CreateUnbounded<string>();
        reader.On<int, string>("Typing", (_, name) => names.Writer.TryWrite(name));
        await Task.WhenAll(typist.StartAsync(Ct), reader.StartAsync(Ct));
        await typist.InvokeAsync<JoinResult>("Join", thread, 0, Ct);
        await reader.InvokeAsync<JoinResult>("Join", thread, 0, Ct);

        await typist.InvokeAsync("Typing", thread, Ct);
        var heard = await names.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var db = app.Services.GetRequiredService<LinliDatabase>();
        var unit = app.Services.GetRequiredService<Linli.Residents.ResidentDirectory>().FindUnit("3栋501")!;
        var person = db.People.FindAll().First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == Linli.People.UnitRelation.Owner));
        Assert.DoesNotContain(person.Name, heard);
        Assert.Matches(@"^\S\*+ · 3栋$", heard);

        // A second Typing at once is refused; the connection stays up and other calls still work.
        var refused = await Assert.ThrowsAsync<HubException>(() => typist.InvokeAsync("Typing", thread, Ct));
        Assert.Contains("Too many", refused.Message);
        Assert.Equal(HubConnectionState.Connected, typist.State);
    }
}
