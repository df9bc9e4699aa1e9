using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.TeaTable;
using Linli.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Security;

/// <summary>
/// What costs Linli or its residents something is limited per client, per chat, per account and per hub connection.
/// </summary>
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
        Task<HttpResponseMessage> NewChatAsync() =>
            http.PostAsJsonAsync("/api/chat/token", new { locale = "zh-CN" }, Ct);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await NewChatAsync()).StatusCode);
        await AssertTooManyAsync(await NewChatAsync());
        Assert.Equal(3, app.Services.GetRequiredService<LinliDatabase>().DirectLineConversations.Count());
    }

    [Fact]
    public async Task SignInAttemptsAreLimitedBeforeAnyPasswordIsChecked()
    {
        using var app = new LinliAppFactory(new() { ["RateLimits:signin:PermitLimit"] = "2" });
        var http = app.CreateClient();
        Task<HttpResponseMessage> GuessAsync(string password) =>
            http.PostAsJsonAsync("/api/auth/signin", new { userName = "manager", password }, Ct);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync("guess" + i)).StatusCode);
        await AssertTooManyAsync(await GuessAsync("guess"));
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
        Task<HttpResponseMessage> HelloAsync(DirectLineTestClient.Started chat) =>
            dl.PostAsync(chat, DirectLineTestClient.Message("你好"), ct: Ct);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await HelloAsync(first)).StatusCode);
        await AssertTooManyAsync(await HelloAsync(first));
        Assert.Equal(HttpStatusCode.OK, (await HelloAsync(second)).StatusCode);
    }

    [Fact]
    public async Task TheParseEndpointIsLimited()
    {
        using var app = new LinliAppFactory(new() { ["RateLimits:parse:PermitLimit"] = "1" });
        var http = app.CreateClient();
        Task<HttpResponseMessage> ParseAsync() =>
            http.PostAsJsonAsync("/api/nlu/parse", new { text = "我家漏水了" }, Ct);
        Assert.Equal(HttpStatusCode.OK, (await ParseAsync()).StatusCode);
        await AssertTooManyAsync(await ParseAsync());
    }

    [Fact]
    public async Task HubTypingIsLimitedPerConnectionAndShowsOnlyThePublicName()
    {
        using var app = new LinliAppFactory();
        var alice = await ResidentWeb.SignInAsync(app, "3栋501");
        var thread = (await (await alice.PostAsJsonAsync("/api/tea/threads", new { title = "充电桩", text = "装哪里" }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt32();
        async Task<HubConnection> ConnectAsync(string flat) => TestHubs.Connect(app, TeaTableHub.Path,
            await TestCookies.ResidentAsync(app, ResidentWeb.LinkFor(app, flat)));
        await using var typist = await ConnectAsync("3栋501");
        await using var reader = await ConnectAsync("5栋301");
        var names = System.Threading.Channels.Channel.CreateUnbounded<string>();
        reader.On<int, string>("Typing", (_, name) => names.Writer.TryWrite(name));
        await Task.WhenAll(typist.StartAsync(Ct), reader.StartAsync(Ct));
        await typist.InvokeAsync<JoinResult>("Join", thread, 0, Ct);
        await reader.InvokeAsync<JoinResult>("Join", thread, 0, Ct);

        await typist.InvokeAsync("Typing", thread, Ct);
        var heard = await names.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var unit = app.Services.GetRequiredService<Linli.Residents.ResidentDirectory>().FindUnit("3栋501")!;
        var person = app.Services.GetRequiredService<Linli.People.IPeopleStore>().OfUnit(unit.CommunityId, unit.Id)
            .First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == Linli.People.UnitRelation.Owner));
        Assert.DoesNotContain(person.Name, heard);
        Assert.Matches(@"^\S\*+ · 3栋$", heard);

        // A second Typing at once is refused; the connection stays up and other calls still work.
        var refused = await Assert.ThrowsAsync<HubException>(() => typist.InvokeAsync("Typing", thread, Ct));
        Assert.Contains("Too many", refused.Message);
        Assert.Equal(HubConnectionState.Connected, typist.State);

        // The bucket fills again with time (counted when the next call comes: no timer per connection).
        await Task.Delay(TimeSpan.FromSeconds(2.2), Ct);
        await typist.InvokeAsync("Typing", thread, Ct);
    }
}
