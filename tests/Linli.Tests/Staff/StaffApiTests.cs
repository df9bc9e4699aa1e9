using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Accounts;
using Linli.Bot.Schema;
using Linli.Residents;
using Linli.Storage.LiteDb;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Staff;

/// <summary>The staff API asks who you are and which community you serve, on every endpoint.</summary>
public sealed class StaffApiTests : IDisposable
{
    /// <remarks>The queue is counted from the tickets these tests open: the demo's own are removed.</remarks>
    private readonly LinliAppFactory _app =
        new LinliAppFactory(new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" })
            .WithoutDemoTickets();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Ticket OpenTicket(string kind = "repair_request")
    {
        var message = new Activity
        {
            Type = "message", Id = Guid.NewGuid().ToString(), ChannelId = "directline", Conversation = new("c-staff"),
            From = new("dl_0123456789abcdef"),
        };
        var unit = _app.Services.GetRequiredService<Linli.Residents.ResidentDirectory>().FindUnit("3栋502")!;
        return _app.Services.GetRequiredService<TicketService>().Open(kind,
            new Dictionary<string, string> { ["description"] = "楼道灯不亮", ["unit"] = "3栋502" },
            message, "citong", unit.Id);
    }

    private HttpClient Browser() =>
        _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/communities/citong/tickets" },
        { "GET", "/api/tickets/{number}" },
        { "PATCH", "/api/tickets/{number}" },
        { "POST", "/api/tickets/{number}/ladder" },
        { "POST", "/api/tickets/{number}/claim" },
        { "POST", "/api/tickets/{number}/dispatch" },
        { "POST", "/api/tickets/{number}/takeover" },
        { "POST", "/api/tickets/{number}/handback" },
        { "POST", "/api/tickets/{number}/messages" },
        { "GET", "/api/communities/citong/duty-roster" },
        { "PUT", "/api/communities/citong/duty-roster" },
        { "POST", "/api/communities/citong/notices" },
        { "GET", "/api/communities/citong/notices" },
        { "POST", "/api/communities/citong/arrears-reminders" },
        { "GET", "/api/communities/citong/audit" },
        { "GET", "/api/communities/citong/staff" },
        { "GET", "/api/communities/citong/canned-replies" },
        { "PUT", "/api/communities/citong/canned-replies" },
        { "POST", "/api/tickets/{number}/notes" },
        { "GET", "/api/tickets/{number}/conversation" },
        { "POST", "/api/tickets/{number}/draft" },
    };

    private static HttpRequestMessage Request(string method, string path, string number) =>
        new(new HttpMethod(method), path.Replace("{number}", number))
        {
            Content = method is "GET" ? null : JsonContent.Create(new
            {
                status = "Closed", step = "acknowledge", personIds = new[] { "x" }, title = "t", body = "b", text = "t",
                items = new[] { "x" },
            }),
        };

    /// <summary>A refused call changed nothing: status, notes, canned replies.</summary>
    private void AssertUntouched(Ticket ticket)
    {
        var now = _app.Services.GetRequiredService<TicketService>().Find(ticket.Number)!;
        Assert.Equal((TicketStatus.New, 0), (now.Status, now.Notes.Count));
        Assert.Null(_app.Services.GetRequiredService<Linli.StaffConsole.ICannedReplyStore>().Find("citong"));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnonymousCallersGet401AsProblemJson(string method, string path)
    {
        var ticket = OpenTicket();
        using var response = await _app.CreateClient().SendAsync(Request(method, path, ticket.Number), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertUntouched(ticket);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ResidentsSignedInFromTheirChatLinkGet403(string method, string path)
    {
        var ticket = OpenTicket();
        var chat = await ResidentChat.StartAsync(_app);
        var link = _app.Services.GetRequiredService<ResidentLinks>().Create(chat.BindTo(_app.Services, "3栋502"));
        var resident = Browser();
        var followed = await ResidentWeb.FollowAsync(resident, link);
        Assert.Equal(HttpStatusCode.Redirect, followed.StatusCode);
        var me = await resident.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);
        Assert.Equal(["Resident", "Owner"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        using var response = await resident.SendAsync(Request(method, path, ticket.Number), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        AssertUntouched(ticket);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task StaffOfAnotherCommunityAreRefused(string method, string path)
    {
        var ticket = OpenTicket();
        var stranger = await StaffClient.SignInAsync(_app, "syn0001.manager");
        using var response = await stranger.SendAsync(Request(method, path, ticket.Number), Ct);
        // Another community's list is forbidden; its tickets are not even said to exist.
        var expected = path.Contains("{number}") ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;
        Assert.Equal(expected, response.StatusCode);
        AssertUntouched(ticket);
    }

    [Fact]
    public async Task StaffListFilterReadAndMoveTheirCommunitysTickets()
    {
        var repair = OpenTicket();
        var hazard = OpenTicket("hazard_report");
        var staff = await StaffClient.SignInAsync(_app, "manager");

        const string queue = "/api/communities/citong/tickets";
        var all = await staff.GetFromJsonAsync<JsonElement>(queue, Ct);
        Assert.Equal(2, all.GetArrayLength());
        var hazards = await staff.GetFromJsonAsync<JsonElement>(queue + "?kind=hazard_report", Ct);
        Assert.Equal(hazard.Number, Assert.Single(hazards.EnumerateArray()).GetProperty("number").GetString());
        // Hazards go straight to the safety officer.
        Assert.Equal("安全员", hazards[0].GetProperty("assignee").GetProperty("title").GetString());
        Assert.Equal("Assigned", hazards[0].GetProperty("status").GetString());
        var inBuilding3 = await staff.GetFromJsonAsync<JsonElement>(queue + "?building=3&status=new", Ct);
        Assert.Equal(repair.Number, Assert.Single(inBuilding3.EnumerateArray()).GetProperty("number").GetString());
        Assert.Equal(0, (await staff.GetFromJsonAsync<JsonElement>(queue + "?building=5", Ct)).GetArrayLength());

        var one = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{repair.Number}", Ct);
        Assert.Equal("3栋502", one.GetProperty("reporter").GetProperty("unit").GetString());

        var repairman = Db.Accounts.FindById("repair1")!.PersonId;
        var ticket = $"/api/tickets/{repair.Number}";
        var assigned = await staff.PatchAsJsonAsync(ticket,
            new { assigneeId = repairman, note = "张师傅下午到" }, Ct);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var body = await assigned.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Assigned", body.GetProperty("status").GetString());
        Assert.Equal(repairman, body.GetProperty("assignee").GetProperty("id").GetString());

        // Closed → in progress is not a move a ticket can make; a typo is not a status.
        var closed = await staff.PatchAsJsonAsync(ticket, new { status = "closed" }, Ct);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var conflict = await staff.PatchAsJsonAsync(ticket, new { status = "InProgress" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var refusal = await conflict.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Cannot change the ticket that way", refusal.GetProperty("title").GetString());
        Assert.Equal("A ticket that is Closed cannot become InProgress.", refusal.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest,
            (await staff.PatchAsJsonAsync(ticket, new { status = "Finished" }, Ct)).StatusCode);
        // Only staff of the ticket's own community can be given it.
        var stranger = new { status = "Reopened", assigneeId = "syn0001-p0001" };
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PatchAsJsonAsync(ticket, stranger, Ct)).StatusCode);

        // Every staff action is on the record.
        var audit = await staff.GetFromJsonAsync<JsonElement>("/api/communities/citong/audit", Ct);
        Assert.Equal(2, audit.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "ticket.update"));
    }

    [Fact]
    public async Task WrongPasswordsLockTheAccountForAWhile()
    {
        var http = _app.CreateClient();
        var answers = new List<string>();
        async Task<HttpResponseMessage> TryAsync(string user, string password)
        {
            var response = await http.PostAsJsonAsync("/api/auth/signin", new { userName = user, password }, Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var (title, detail) = (body.GetProperty("title").GetString(), body.GetProperty("detail").GetString());
            answers.Add($"{(int)response.StatusCode} {title} {detail}");
            return response;
        }
        for (var i = 0; i < AccountService.MaxFailures; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync("service", "guess" + i)).StatusCode);
        // Locked: even the right password waits, and the answer is the one a wrong password or an unknown name gets.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await TryAsync("service", Linli.Seeding.DemoAccounts.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync("nobody", "x")).StatusCode);
        Assert.Single(answers.Distinct());
        Assert.NotNull(Db.Accounts.FindById("service").LockedUntil);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await http.PostAsJsonAsync("/api/auth/signin", new { userName = "" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task ATamperedResidentLinkSignsNobodyIn()
    {
        var chat = await ResidentChat.StartAsync(_app);
        var link = _app.Services.GetRequiredService<ResidentLinks>().Create(chat.BindTo(_app.Services, "3栋502"));
        var tampered = link.Replace("t=", "t=x");
        var http = Browser();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(tampered, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/auth/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task OpeningALinkSignsNobodyInAndALinkWorksOnce()
    {
        var chat = await ResidentChat.StartAsync(_app);
        var links = _app.Services.GetRequiredService<ResidentLinks>();
        var link = links.Create(chat.BindTo(_app.Services, "3栋502"), "/tea");

        // An <img src> or a link preview fetches the address: a page, no cookie, and the link is not used up.
        var fetcher = Browser();
        var opened = await fetcher.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var cookies = opened.Headers.TryGetValues("Set-Cookie", out var set) ? set : [];
        Assert.DoesNotContain(cookies, c => c.StartsWith("linli.auth="));
        Assert.Contains("3栋502", await opened.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fetcher.GetAsync("/api/auth/me", Ct)).StatusCode);

        // A post without the page's antiforgery token is refused.
        var linkToken = link[(link.IndexOf("t=") + 2)..link.IndexOf('&')];
        var forged = await fetcher.PostAsync("/auth/link",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["t"] = linkToken }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fetcher.GetAsync("/api/auth/me", Ct)).StatusCode);

        var resident = Browser();
        var followed = await ResidentWeb.FollowAsync(resident, link);
        Assert.Equal("/tea", followed.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await resident.GetAsync("/api/auth/me", Ct)).StatusCode);

        // Spent: a second reader of the same link (a transcript, a forwarded message) gets nothing.
        var again = Browser();
        Assert.Equal(HttpStatusCode.BadRequest, (await again.GetAsync(link, Ct)).StatusCode);
    }

    /// <summary>A path inside the tea table's files that climbs out to the sign-in link.</summary>
    private static string SmuggledLink(string link) =>
        "/api/tea/files/../../auth/link?" + link[(link.IndexOf('?') + 1)..];

    [Fact]
    public async Task ATeaTablePostCannotAttachAPathToTheSignInLink()
    {
        var chat = await ResidentChat.StartAsync(_app);
        var link = _app.Services.GetRequiredService<ResidentLinks>().Create(chat.BindTo(_app.Services, "3栋502"));
        var attacker = await ResidentWeb.SignInAsync(_app, "3栋502");
        var started = await attacker.PostAsJsonAsync("/api/tea/threads",
            new { title = "停车位的事", text = "大家说说" }, Ct);
        var thread = await started.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = thread.GetProperty("id").GetInt32();
        var posted = await attacker.PostAsJsonAsync($"/api/tea/threads/{id}/posts",
            new { text = "看图", attachments = new[] { SmuggledLink(link), "../x" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var post = await posted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Empty(post.GetProperty("attachments").EnumerateArray());
    }

    [Theory]
    [InlineData("/\t/evil.example", "/")]
    [InlineData("/\n/evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData("/tea/3", "/tea/3")]
    [InlineData("/", "/")]
    public void ReturnAddressesStayOnThisSite(string given, string expected) =>
        Assert.Equal(expected, AuthApi.LocalOrHome(System.Text.RegularExpressions.Regex.Unescape(given)));
}
