using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Accounts;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Security;

/// <summary>Accounts are made, given roles, disabled and reset by their community's admin; a password someone else set is changed first.</summary>
public sealed class AccountTests : IDisposable
{
    private const string Strong = "Osmanthus-Lane-2026";
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private async Task<HttpClient> SignInAsync(string user, string password, HttpStatusCode expected = HttpStatusCode.NoContent)
    {
        var http = Browser();
        Assert.Equal(expected, (await http.PostAsJsonAsync("/api/auth/signin", new { userName = user, password }, Ct)).StatusCode);
        return http;
    }

    private async Task<HttpResponseMessage> CreateAsync(HttpClient admin, string user, string password = "First-Temp-Pass-1", string[]? roles = null) =>
        await admin.PostAsJsonAsync("/api/communities/citong/accounts",
            new { userName = user, name = "黄师傅", phone = "13911112222", title = "水电工", roles = roles ?? ["Staff"], password }, Ct);

    [Fact]
    public async Task AnAdminCreatesAnAccountAndItsOwnerMustSetTheirOwnPasswordFirst()
    {
        var admin = await SignInAsync("admin", Linli.Seeding.DemoAccounts.Password);
        var created = await CreateAsync(admin, "plumber1");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("139****2222", view.GetProperty("phone").GetString());
        Assert.True(view.GetProperty("mustChangePassword").GetBoolean());

        var plumber = await SignInAsync("plumber1", "First-Temp-Pass-1");
        var refused = await plumber.GetAsync("/api/communities/citong/tickets", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Set a new password first", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        var page = await plumber.GetAsync("/console", Ct);
        Assert.StartsWith("/account/password", page.Headers.Location?.OriginalString);

        foreach (var weak in new[] { "short", "1234567890", "plumber1-rocks", "aaaaaaaaaaaa", "First-Temp-Pass-1" })
            Assert.Equal(HttpStatusCode.BadRequest, (await plumber.PostAsJsonAsync("/api/auth/password", new { current = "First-Temp-Pass-1", @new = weak }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await plumber.PostAsJsonAsync("/api/auth/password", new { current = "First-Temp-Pass-1", @new = Strong }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await plumber.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/communities/citong/audit", Ct);
        var actions = audit.EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString())).ToList();
        Assert.Contains(("account.create", "plumber1"), actions);
        Assert.Contains(("account.password", "plumber1"), actions);
    }

    [Fact]
    public async Task OnlyTheCommunitysOwnAdminManagesItsAccounts()
    {
        var manager = await SignInAsync("manager", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(manager, "sneaky1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/communities/citong/accounts", Ct)).StatusCode);
        var resident = await ResidentWeb.SignInAsync(_app, "3栋502");
        Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(resident, "sneaky2")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CreateAsync(_app.CreateClient(), "sneaky3")).StatusCode);
        Assert.Null(_app.Services.GetRequiredService<LinliDatabase>().Accounts.FindById("sneaky1"));

        var admin = await SignInAsync("admin", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/communities/syn0001/accounts", Ct)).StatusCode);
        // Nobody can lock the community out of its accounts by disabling or demoting themselves.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PatchAsJsonAsync("/api/communities/citong/accounts/admin", new { disabled = true }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PatchAsJsonAsync("/api/communities/citong/accounts/admin", new { roles = new[] { "Staff" } }, Ct)).StatusCode);
    }

    [Fact]
    public async Task DisablingOrResettingAnAccountEndsItsOpenSessions()
    {
        var admin = await SignInAsync("admin", Linli.Seeding.DemoAccounts.Password);
        var repair = await SignInAsync("repair1", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await repair.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/communities/citong/accounts/repair1", new { disabled = true }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await repair.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);
        await SignInAsync("repair1", Linli.Seeding.DemoAccounts.Password, HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/communities/citong/accounts/repair1", new { disabled = false }, Ct)).StatusCode);
        var again = await SignInAsync("repair1", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/communities/citong/accounts/repair1/reset-password", new { password = "Reset-By-Admin-77" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);
        var reset = await SignInAsync("repair1", "Reset-By-Admin-77");
        Assert.Equal(HttpStatusCode.Forbidden, (await reset.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);

        // Roles are roles: taking Staff away takes the console away at the next request.
        var service = await SignInAsync("service", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/communities/citong/accounts/service", new { roles = new[] { "Volunteer" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);
        var volunteer = await SignInAsync("service", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);
    }

    [Fact]
    public async Task ParallelWrongPasswordsAreAllCountedAndLockTheAccount()
    {
        var accounts = _app.Services.GetRequiredService<AccountService>();
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => accounts.SignIn("repair2", "guess-" + i), Ct)));
        Assert.All(results, r => Assert.Equal(SignInOutcome.WrongPassword, r.Outcome));
        Assert.NotNull(_app.Services.GetRequiredService<LinliDatabase>().Accounts.FindById("repair2").LockedUntil);
        Assert.Equal(SignInOutcome.WrongPassword, accounts.SignIn("repair2", Linli.Seeding.DemoAccounts.Password).Outcome);
    }

    [Fact]
    public async Task OnlyTheHolderOrAManagerPassesATicketToSomeoneElse()
    {
        var tickets = _app.Services.GetRequiredService<Linli.Tickets.TicketService>();
        var ticket = tickets.Open("repair_request", new Dictionary<string, string> { ["description"] = "漏水" },
            new Linli.Bot.Schema.Activity { Type = "message", Id = "a1", ChannelId = "directline", Conversation = new("c1"), From = new("dl_0123456789abcdef") }, "citong");
        var db = _app.Services.GetRequiredService<LinliDatabase>();
        string PersonOf(string user) => db.Accounts.FindById(user).PersonId;
        var repair1 = await SignInAsync("repair1", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await repair1.PostAsync($"/api/tickets/{ticket.Number}/claim", null, Ct)).StatusCode);

        var colleague = await SignInAsync("repair2", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.PatchAsJsonAsync($"/api/tickets/{ticket.Number}", new { assigneeId = PersonOf("repair2") }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.PostAsJsonAsync($"/api/tickets/{ticket.Number}/dispatch", new { action = "assign", to = PersonOf("repair2") }, Ct)).StatusCode);
        Assert.Equal(PersonOf("repair1"), tickets.Find(ticket.Number)!.AssigneeId);

        var manager = await SignInAsync("manager", Linli.Seeding.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/tickets/{ticket.Number}/dispatch", new { action = "assign", to = PersonOf("repair2") }, Ct)).StatusCode);
        Assert.Equal(PersonOf("repair2"), tickets.Find(ticket.Number)!.AssigneeId);
    }
}

/// <summary>Run as in production: no demo unless asked for, and the demo's published password is changed before anything else.</summary>
public sealed class ProductionAccountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ProductionSeedsNoDemoUnlessAskedTo()
    {
        using var app = new LinliAppFactory(environment: "Production");
        Assert.Equal(0, app.Services.GetRequiredService<LinliDatabase>().Accounts.Count());
    }

    [Fact]
    public async Task ProductionRefusesTheDemoPasswordUntilItIsChanged()
    {
        using var app = new LinliAppFactory(new() { ["Demo:Seed"] = "true" }, environment: "Production");
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/api/auth/signin", new { userName = "manager", password = Linli.Seeding.DemoAccounts.Password }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);
        Assert.StartsWith("/account/password", (await http.GetAsync("/console", Ct)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/auth/password",
            new { current = Linli.Seeding.DemoAccounts.Password, @new = Linli.Seeding.DemoAccounts.Password }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/api/auth/password",
            new { current = Linli.Seeding.DemoAccounts.Password, @new = "Harbour-Light-2026" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);
    }
}
