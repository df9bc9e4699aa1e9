using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Accounts;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Security;

/// <summary>
/// Accounts are made, given roles, disabled and reset by their community's admin; a password someone else set is
/// changed first.
/// </summary>
public sealed class AccountTests : IDisposable
{
    private const string Strong = "Osmanthus-Lane-2026";
    private const string Demo = Linli.Seeding.DemoAccounts.Password;
    private const string Tickets = "/api/communities/citong/tickets";
    private const string Accounts = "/api/communities/citong/accounts";
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();

    private HttpClient Browser() =>
        _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private async Task<HttpClient> SignInAsync(string user, string password,
        HttpStatusCode expected = HttpStatusCode.NoContent)
    {
        var http = Browser();
        var answer = await http.PostAsJsonAsync("/api/auth/signin", new { userName = user, password }, Ct);
        Assert.Equal(expected, answer.StatusCode);
        return http;
    }

    private static async Task<HttpResponseMessage> CreateAsync(HttpClient admin, string user,
        string password = "First-Temp-Pass-1", string[]? roles = null) =>
        await admin.PostAsJsonAsync(Accounts, new
        {
            userName = user, name = "黄师傅", phone = "13911112222", title = "水电工",
            roles = roles ?? ["Staff"], password,
        }, Ct);

    private static async Task<HttpStatusCode> ChangePasswordAsync(HttpClient http, string current,
        string replacement) =>
        (await http.PostAsJsonAsync("/api/auth/password", new { current, @new = replacement }, Ct)).StatusCode;

    private static async Task<HttpStatusCode> PatchAsync(HttpClient admin, string user, object change) =>
        (await admin.PatchAsJsonAsync($"{Accounts}/{user}", change, Ct)).StatusCode;

    private static async Task<HttpStatusCode> TicketsAsync(HttpClient http) =>
        (await http.GetAsync(Tickets, Ct)).StatusCode;

    [Fact]
    public async Task AnAdminCreatesAnAccountAndItsOwnerMustSetTheirOwnPasswordFirst()
    {
        var admin = await SignInAsync("admin", Demo);
        var created = await CreateAsync(admin, "plumber1");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("139****2222", view.GetProperty("phone").GetString());
        Assert.True(view.GetProperty("mustChangePassword").GetBoolean());

        var plumber = await SignInAsync("plumber1", "First-Temp-Pass-1");
        var refused = await plumber.GetAsync(Tickets, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Set a new password first", problem.GetProperty("title").GetString());
        var page = await plumber.GetAsync("/console", Ct);
        Assert.StartsWith("/account/password", page.Headers.Location?.OriginalString);

        foreach (var weak in new[] { "short", "1234567890", "plumber1-rocks", "aaaaaaaaaaaa", "First-Temp-Pass-1" })
            Assert.Equal(HttpStatusCode.BadRequest, await ChangePasswordAsync(plumber, "First-Temp-Pass-1", weak));
        Assert.Equal(HttpStatusCode.NoContent, await ChangePasswordAsync(plumber, "First-Temp-Pass-1", Strong));
        Assert.Equal(HttpStatusCode.OK, await TicketsAsync(plumber));

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/communities/citong/audit", Ct);
        var actions = audit.EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString())).ToList();
        Assert.Contains(("account.create", "plumber1"), actions);
        Assert.Contains(("account.password", "plumber1"), actions);
    }

    [Fact]
    public async Task RefusalsKeepTheirStatusTitleAndDetail()
    {
        var admin = await SignInAsync("admin", Demo);
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(admin, "plumber1")).StatusCode);

        var taken = await CreateAsync(admin, "Plumber1");
        await AssertProblemAsync(taken, HttpStatusCode.Conflict, "User name taken",
            "There is already an account 'plumber1'.");
        var nothing = await admin.PatchAsJsonAsync($"{Accounts}/plumber1", new { }, Ct);
        await AssertProblemAsync(nothing, HttpStatusCode.BadRequest, "Nothing to change",
            "Give roles, disabled and/or weComUserId.");
        var elsewhere = await admin.GetAsync("/api/communities/syn0001/accounts", Ct);
        await AssertProblemAsync(elsewhere, HttpStatusCode.Forbidden, "Not your community",
            "You are not an admin of community 'syn0001'.");
        var stranger = await admin.PostAsJsonAsync($"{Accounts}/nobody/reset-password",
            new { password = "Reset-By-Admin-77" }, Ct);
        await AssertProblemAsync(stranger, HttpStatusCode.NotFound, "No such account",
            "No account 'nobody' in community 'citong'.");

        var plumber = await SignInAsync("plumber1", "First-Temp-Pass-1");
        var wrong = await plumber.PostAsJsonAsync("/api/auth/password", new { current = "nope", @new = Strong }, Ct);
        await AssertProblemAsync(wrong, HttpStatusCode.BadRequest, "Current password is wrong",
            "The current password is not right.");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage answer, HttpStatusCode status, string title,
        string detail)
    {
        Assert.Equal(status, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task OnlyTheCommunitysOwnAdminManagesItsAccounts()
    {
        var manager = await SignInAsync("manager", Demo);
        Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(manager, "sneaky1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync(Accounts, Ct)).StatusCode);
        var resident = await ResidentWeb.SignInAsync(_app, "3栋502");
        Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(resident, "sneaky2")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CreateAsync(_app.CreateClient(), "sneaky3")).StatusCode);
        Assert.Null(Db.Accounts.FindById("sneaky1"));

        var admin = await SignInAsync("admin", Demo);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await admin.GetAsync("/api/communities/syn0001/accounts", Ct)).StatusCode);
        // Nobody can lock the community out of its accounts by disabling or demoting themselves.
        Assert.Equal(HttpStatusCode.Conflict, await PatchAsync(admin, "admin", new { disabled = true }));
        Assert.Equal(HttpStatusCode.Conflict, await PatchAsync(admin, "admin", new { roles = new[] { "Staff" } }));
    }

    [Fact]
    public async Task DisablingOrResettingAnAccountEndsItsOpenSessions()
    {
        var admin = await SignInAsync("admin", Demo);
        var repair = await SignInAsync("repair1", Demo);
        Assert.Equal(HttpStatusCode.OK, await TicketsAsync(repair));

        Assert.Equal(HttpStatusCode.OK, await PatchAsync(admin, "repair1", new { disabled = true }));
        Assert.Equal(HttpStatusCode.Unauthorized, await TicketsAsync(repair));
        await SignInAsync("repair1", Demo, HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, await PatchAsync(admin, "repair1", new { disabled = false }));
        var again = await SignInAsync("repair1", Demo);
        var reset = await admin.PostAsJsonAsync($"{Accounts}/repair1/reset-password",
            new { password = "Reset-By-Admin-77" }, Ct);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TicketsAsync(again));
        var afterReset = await SignInAsync("repair1", "Reset-By-Admin-77");
        Assert.Equal(HttpStatusCode.Forbidden, await TicketsAsync(afterReset));

        // Roles are roles: taking Staff away takes the console away at the next request.
        var service = await SignInAsync("service", Demo);
        Assert.Equal(HttpStatusCode.OK, await PatchAsync(admin, "service", new { roles = new[] { "Volunteer" } }));
        Assert.Equal(HttpStatusCode.Unauthorized, await TicketsAsync(service));
        var volunteer = await SignInAsync("service", Demo);
        Assert.Equal(HttpStatusCode.Forbidden, await TicketsAsync(volunteer));
    }

    [Fact]
    public async Task ParallelWrongPasswordsAreAllCountedAndLockTheAccount()
    {
        var accounts = _app.Services.GetRequiredService<AccountService>();
        var results = await Task.WhenAll(
            Enumerable.Range(0, 12).Select(i => Task.Run(() => accounts.SignIn("repair2", "guess-" + i), Ct)));
        Assert.All(results, r => Assert.Equal(SignInOutcome.WrongPassword, r.Outcome));
        Assert.NotNull(Db.Accounts.FindById("repair2").LockedUntil);
        Assert.Equal(SignInOutcome.WrongPassword, accounts.SignIn("repair2", Demo).Outcome);
    }

    [Fact]
    public async Task OnlyTheHolderOrAManagerPassesATicketToSomeoneElse()
    {
        var tickets = _app.Services.GetRequiredService<Linli.Tickets.TicketService>();
        var activity = new Linli.Bot.Schema.Activity
        {
            Type = "message", Id = "a1", ChannelId = "directline", Conversation = new("c1"),
            From = new("dl_0123456789abcdef"),
        };
        var ticket = tickets.Open("repair_request", new Dictionary<string, string> { ["description"] = "漏水" },
            activity, "citong");
        string PersonOf(string user) => Db.Accounts.FindById(user).PersonId;
        Task<HttpResponseMessage> DispatchAsync(HttpClient http, string to) =>
            http.PostAsJsonAsync($"/api/tickets/{ticket.Number}/dispatch", new { action = "assign", to }, Ct);
        var repair1 = await SignInAsync("repair1", Demo);
        var claimed = await repair1.PostAsync($"/api/tickets/{ticket.Number}/claim", null, Ct);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);

        var colleague = await SignInAsync("repair2", Demo);
        var patched = await colleague.PatchAsJsonAsync($"/api/tickets/{ticket.Number}",
            new { assigneeId = PersonOf("repair2") }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, patched.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DispatchAsync(colleague, PersonOf("repair2"))).StatusCode);
        Assert.Equal(PersonOf("repair1"), tickets.Find(ticket.Number)!.AssigneeId);

        var manager = await SignInAsync("manager", Demo);
        Assert.Equal(HttpStatusCode.OK, (await DispatchAsync(manager, PersonOf("repair2"))).StatusCode);
        Assert.Equal(PersonOf("repair2"), tickets.Find(ticket.Number)!.AssigneeId);
    }
}

/// <summary>
/// Run as in production: no demo unless asked for, and the demo's published password is changed before anything else.
/// </summary>
public sealed class ProductionAccountTests
{
    private const string Demo = Linli.Seeding.DemoAccounts.Password;

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
        var http = app.CreateClient(
            new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var signIn = await http.PostAsJsonAsync("/api/auth/signin", new { userName = "manager", password = Demo }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);
        Assert.StartsWith("/account/password", (await http.GetAsync("/console", Ct)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/auth/password",
            new { current = Demo, @new = Demo }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/api/auth/password",
            new { current = Demo, @new = "Harbour-Light-2026" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/communities/citong/tickets", Ct)).StatusCode);
    }
}
