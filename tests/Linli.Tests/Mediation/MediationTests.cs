using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Fees;
using Linli.Hosting;
using Linli.Mediation;
using Linli.People;
using Linli.Residents;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Mediation;

/// <summary>
/// Mediation cases: who sees them (and whose names), how they are decided once, how they are numbered, and the
/// monthly settled rate. The clock stands at 2026-11-20 10:00 China time and never moves.
/// </summary>
public sealed class MediationTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
    private const string Cases = "/api/communities/citong/mediation/cases";
    /// <remarks>These tests number and count from a community's first case: the demo's cases and counters go.</remarks>
    private readonly LinliAppFactory _app = new LinliAppFactory(time: new FakeTimeProvider(Now)).WithoutDemoCases();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();
    private MediationService Mediation => _app.Services.GetRequiredService<MediationService>();
    private MediationIntake Intake => _app.Services.GetRequiredService<MediationIntake>();

    private Person OwnerOf(string flat)
    {
        var unit = _app.Services.GetRequiredService<ResidentDirectory>().FindUnit(flat, "citong")!;
        return Db.People.Find(p => p.CommunityId == "citong")
            .First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == UnitRelation.Owner));
    }

    private Person TheMediator() => Db.People.Find(p => p.CommunityId == "citong").First(p => p.Has(Role.Mediator));

    /// <summary>A manager of another community, signed in with the demo password.</summary>
    private Task<HttpClient> StrangerAsync()
    {
        Db.People.Insert(new Person
        {
            Id = "elsewhere-p1", CommunityId = "elsewhere", Name = "外人", Phone = "13900000001",
            Roles = [Role.Staff, Role.Manager],
        });
        Db.Accounts.Insert(Db.Accounts.FindById("manager")
            with
        { Id = "elsewhere.manager", PersonId = "elsewhere-p1", CommunityId = "elsewhere" });
        return StaffClient.SignInAsync(_app, "elsewhere.manager");
    }

    private Ticket Complaint(string flat, string text)
    {
        var unit = _app.Services.GetRequiredService<ResidentDirectory>().FindUnit(flat, "citong")!;
        // The day's next number: the demo's complaints may have taken the first.
        var prefix = TicketService.NumberPrefix("complaint", Now);
        var ticket = new Ticket
        {
            Id = Guid.NewGuid().ToString("n"),
            Number = $"{prefix}{Db.Tickets.Count(t => t.Number.StartsWith(prefix)) + 1:D4}",
            Kind = "complaint", CommunityId = "citong",
            UnitId = unit.Id, Location = flat, Text = text, CreatedAt = Now, RespondBy = Now.AddHours(2),
            Reporter = new TicketReporter("webchat", "u1", "c1", OwnerOf(flat).Id), ResolveBy = Now.AddDays(1),
            SourceKey = "webchat|c1|a1|complaint",
        };
        Db.Tickets.Insert(ticket);
        return ticket;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode} (expected {expected}): {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body,
        HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await http.PostAsJsonAsync(path, body, Ct), expected);

    private static async Task<JsonElement> GetAsync(HttpClient http, string path,
        HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await http.GetAsync(path, Ct), expected);

    private static string Text(JsonElement view, string property) => view.GetProperty(property).GetString()!;

    private static string[] Names(JsonElement view) =>
        [.. view.GetProperty("parties").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];

    [Fact]
    public async Task AResidentAppliesAndOnlyThePartiesTheMediatorAndManagersSeeTheCase()
    {
        var applicant = OwnerOf("3栋502");
        var resident = await ResidentWeb.SignInAsync(_app, "3栋502");
        var opened = await PostAsync(resident, "/api/me/mediation",
            new { subject = "楼上深夜噪音", kind = "噪音", otherFlat = "3栋602", text = "每晚十二点后拖椅子。" },
            HttpStatusCode.Created);
        var number = Text(opened, "number");
        Assert.Equal("TJ-2026-0001", number);
        Assert.Equal(("Noise", "Web", "Party"), (Text(opened, "kind"), Text(opened, "source"), Text(opened, "access")));
        Assert.Equal([applicant.Name, "3栋602住户"], Names(opened));
        Assert.Equal(number, Assert.Single(Mediation.ForPerson("citong", applicant.Id)).Number);

        Assert.Equal(number, Text(Assert.Single((await GetAsync(resident, Cases)).EnumerateArray()), "number"));
        var neighbour = await ResidentWeb.SignInAsync(_app, "3栋501");
        await GetAsync(neighbour, $"{Cases}/{number}", HttpStatusCode.NotFound);
        Assert.Empty((await GetAsync(neighbour, Cases)).EnumerateArray());
        await GetAsync(await StrangerAsync(), $"{Cases}/{number}", HttpStatusCode.NotFound);
        await GetAsync(await StaffClient.SignInAsync(_app, "service"), $"{Cases}/{number}", HttpStatusCode.NotFound);

        var mediator = await StaffClient.SignInAsync(_app, "mediator");
        await GetAsync(mediator, $"{Cases}/{number}", HttpStatusCode.NotFound);   // not theirs until assigned
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var managed = await GetAsync(manager, $"{Cases}/{number}");
        Assert.Equal("Manager", Text(managed, "access"));
        Assert.Equal([applicant.Name, "3栋602住户"], Names(managed));
        await PostAsync(manager, $"{Cases}/{number}/mediator", new { personId = TheMediator().Id });
        Assert.Equal("Mediator", Text(await GetAsync(mediator, $"{Cases}/{number}"), "access"));

        // Phones: masked for those who run the case, absent for the parties, never whole.
        var phone = managed.GetProperty("parties")[0].GetProperty("phone").GetString()!;
        Assert.Equal(PhoneMask.Mask(applicant.Phone), phone);
        Assert.Contains("****", phone);
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("parties")[0].GetProperty("phone").ValueKind);
        foreach (var client in new[] { resident, manager, mediator })
            Assert.DoesNotContain(applicant.Phone, await client.GetStringAsync($"{Cases}/{number}", Ct));
    }

    [Fact]
    public async Task StaffOpenACaseFromAComplaintAndSeeThePartiesNamesMasked()
    {
        var ticket = Complaint("3栋502", "楼上卫生间漏水到我家天花板，已经三个星期了。");
        var applicant = OwnerOf("3栋502");
        var service = await StaffClient.SignInAsync(_app, "service");
        var request = new
        {
            ticketNumber = ticket.Number, kind = "Leak",
            parties = new object[]
            {
                new { name = "王大明", flat = "3栋602", role = "Respondent", phone = "13812345678" },
                new { name = "刺桐物业服务有限公司", role = "PropertyCompany" },
            },
        };
        var opened = await PostAsync(service, Cases, request, HttpStatusCode.Created);
        var number = Text(opened, "number");
        Assert.Equal(("Complaint", ticket.Number, "Opener", ticket.Text),
            (Text(opened, "source"), Text(opened, "ticketNumber"), Text(opened, "access"), Text(opened, "subject")));
        Assert.Equal([NameMask.Mask(applicant.Name), "王**", "刺桐物业服务有限公司"], Names(opened));
        Assert.All(opened.GetProperty("parties").EnumerateArray(),
            p => Assert.Equal(JsonValueKind.Null, p.GetProperty("phone").ValueKind));
        Assert.Equal(number, Text(Assert.Single((await GetAsync(service, Cases)).EnumerateArray()), "number"));

        await PostAsync(service, Cases, request, HttpStatusCode.Conflict);   // one case per complaint
        var unknown = await PostAsync(service, Cases, new { ticketNumber = "TS-19990101-0001" },
            HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("ticketNumber", out _));
        var noApplicant = new { subject = "无申请人", parties = new[] { new { name = "王大明", role = "Respondent" } } };
        await PostAsync(service, Cases, noApplicant, HttpStatusCode.BadRequest);

        await GetAsync(await StaffClient.SignInAsync(_app, "repair1"), $"{Cases}/{number}", HttpStatusCode.NotFound);
        var stranger = await StrangerAsync();
        await GetAsync(stranger, $"{Cases}/{number}", HttpStatusCode.NotFound);
        await PostAsync(stranger, Cases, request, HttpStatusCode.Forbidden);

        var seenByApplicant = await GetAsync(await ResidentWeb.SignInAsync(_app, "3栋502"), $"{Cases}/{number}");
        Assert.Equal([applicant.Name, "王大明", "刺桐物业服务有限公司"], Names(seenByApplicant));
        var seenByManager = await GetAsync(await StaffClient.SignInAsync(_app, "manager"), $"{Cases}/{number}");
        Assert.Equal("138****5678", Text(seenByManager.GetProperty("parties")[1], "phone"));
    }

    [Fact]
    public async Task ACaseIsDecidedOnceSettledOnlyWithAnAgreementAndEveryChangeIsAudited()
    {
        var applicant = OwnerOf("3栋502");
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var opened = await PostAsync(manager, Cases, new
        {
            subject = "车位被占", kind = "停车", parties = new object[]
            {
                new { personId = applicant.Id, role = "Applicant" }, new { flat = "3栋501", role = "Respondent" },
            },
        }, HttpStatusCode.Created);
        var number = Text(opened, "number");
        Assert.Equal(("Office", "Parking", "3栋502"),
            (Text(opened, "source"), Text(opened, "kind"), Text(opened.GetProperty("parties")[0], "flat")));
        var path = $"{Cases}/{number}";
        var resident = await ResidentWeb.SignInAsync(_app, "3栋502");
        var mediator = await StaffClient.SignInAsync(_app, "mediator");

        await PostAsync(manager, $"{path}/mediator", new { personId = applicant.Id }, HttpStatusCode.BadRequest);
        await PostAsync(manager, $"{path}/mediator", new { personId = TheMediator().Id });
        await PostAsync(resident, $"{path}/sessions", new { at = Now, place = "调解室" }, HttpStatusCode.Forbidden);
        // No agreement yet; not decided yet.
        await PostAsync(mediator, $"{path}/outcome", new { outcome = "Settled" }, HttpStatusCode.Conflict);
        await PostAsync(mediator, $"{path}/follow-up", new { due = "2026-12-20" }, HttpStatusCode.Conflict);
        await PostAsync(mediator, $"{path}/sessions", new { place = "调解室" }, HttpStatusCode.BadRequest);
        var session = await PostAsync(mediator, $"{path}/sessions", new
        {
            at = Now.AddDays(-1), place = "社区调解室", attendees = new[] { applicant.Name, "3栋501业主" }, notes = "双方同意轮流使用。",
        });
        Assert.Equal("社区调解室", Text(session.GetProperty("sessions")[0], "place"));
        await PostAsync(mediator, $"{path}/agreement", new { text = "单双日轮流停放，违者赔偿。" });
        var settled = await PostAsync(mediator, $"{path}/outcome", new { outcome = "Settled", note = "当场签字" });
        Assert.Equal("Settled", Text(settled.GetProperty("decision"), "outcome"));
        Assert.Equal(Now, settled.GetProperty("decision").GetProperty("at").GetDateTimeOffset());

        await PostAsync(manager, $"{path}/outcome", new { outcome = "Failed" }, HttpStatusCode.Conflict);
        await PostAsync(mediator, $"{path}/agreement", new { text = "改写" }, HttpStatusCode.Conflict);
        await PostAsync(mediator, $"{path}/sessions", new { at = Now, place = "调解室" }, HttpStatusCode.Conflict);
        // A visit is not due before the decision.
        await PostAsync(mediator, $"{path}/follow-up", new { due = "2026-11-01" }, HttpStatusCode.BadRequest);
        await PostAsync(mediator, $"{path}/follow-up", new { due = "2026-12-20" });
        var visited = (await PostAsync(mediator, $"{path}/follow-up", new { done = true, note = "协议履行良好" }))
            .GetProperty("followUp");
        Assert.Equal(("2026-12-20", Now, "协议履行良好"),
            (Text(visited, "due"), visited.GetProperty("doneAt").GetDateTimeOffset(), Text(visited, "note")));
        await PostAsync(mediator, $"{path}/follow-up", new { done = true }, HttpStatusCode.Conflict);

        var seen = await GetAsync(resident, path);
        Assert.Equal("单双日轮流停放，违者赔偿。", Text(seen, "agreement"));
        // Session notes are the mediator's working notes.
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("sessions")[0].GetProperty("notes").ValueKind);
        Assert.Equal("双方同意轮流使用。", Text((await GetAsync(mediator, path)).GetProperty("sessions")[0], "notes"));

        // Each change once in the audit, refusals never (entries made in one millisecond have no order).
        Assert.Equal(new[] { "mediation.open", "mediation.mediator", "mediation.session", "mediation.agreement",
                "mediation.outcome", "mediation.followup", "mediation.followup" }.Order(),
            Db.AuditLog.Find(e => e.Target == number).Select(e => e.Action).Order());
        var decided = Db.AuditLog.FindOne(e => e.Target == number && e.Action == "mediation.outcome");
        Assert.Equal((TheMediator().Id, "Settled", "citong"), (decided.PersonId, decided.Detail, decided.CommunityId));

        // Referred names where to; the applicant may withdraw their own application, and only that.
        var other = Intake.Apply("citong", applicant.Id, applicant.Units[0].UnitId, "物业费争议", "fees", null,
            "chat");
        Assert.Equal(CaseSource.Chat, other.Source);
        var otherPath = $"{Cases}/{other.Number}";
        await PostAsync(manager, $"{otherPath}/outcome", new { outcome = "Referred" }, HttpStatusCode.BadRequest);
        await PostAsync(resident, $"{otherPath}/outcome", new { outcome = "Failed" }, HttpStatusCode.Forbidden);
        var withdrawn = await PostAsync(resident, $"{otherPath}/outcome", new { outcome = "Withdrawn" });
        Assert.Equal("Withdrawn", Text(withdrawn.GetProperty("decision"), "outcome"));
        await PostAsync(manager, $"{otherPath}/follow-up", new { due = "2026-12-20" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CasesAreNumberedPerCommunityAndChinaYear()
    {
        var applicant = OwnerOf("3栋502");
        var unit = applicant.Units[0].UnitId;
        Assert.Equal(["TJ-2026-0001", "TJ-2026-0002", "TJ-2026-0003"],
            Enumerable.Range(0, 3)
                .Select(i => Intake.Apply("citong", applicant.Id, unit, $"事{i}", "other", null, "web").Number));

        Db.People.Insert(new Person
        {
            Id = "elsewhere-p2", CommunityId = "elsewhere", Name = "别处人", Phone = "13900000002",
            Roles = [Role.Resident], Units = [new UnitBinding("elsewhere-u1", UnitRelation.Owner)],
        });
        Assert.Equal("TJ-2026-0001",
            Intake.Apply("elsewhere", "elsewhere-p2", "elsewhere-u1", "事", "noise", null, "web").Number);

        // Half past midnight on New Year's Day in China is still 2026 in UTC: the number follows China.
        var newYear = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(8)));
        var later = new MediationIntake(new LiteMediationStore(Db), new LitePeopleStore(Db), new LiteCommunityStore(Db),
            _app.Services.GetRequiredService<ResidentDirectory>(), _app.Services.GetRequiredService<TicketService>(),
            newYear);
        Assert.Equal("TJ-2027-0001", later.Apply("citong", applicant.Id, unit, "新年", "other", null, "web").Number);

        var error = Assert.Throws<DomainProblem>(
            () => Intake.Apply("citong", applicant.Id, unit, "事", "吵架", null, "web"));
        Assert.Equal((400, "kind"), (error.Status, error.Field));
        Assert.Equal(4, Db.MediationCases.Count(c => c.CommunityId == "citong"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task TheMonthlySettledRateIsSettledOverConcludedWithWithdrawnLeftOut()
    {
        var china = TimeSpan.FromHours(8);
        var n = 0;
        void Case(DateTimeOffset opened, CaseOutcome? outcome = null, DateTimeOffset? decided = null) =>
            Db.MediationCases.Insert(new MediationCase
            {
                Id = $"citong/TJ-2026-{++n:D4}", CommunityId = "citong", Number = $"TJ-2026-{n:D4}", Subject = "事",
                Kind = DisputeKind.Noise, Source = CaseSource.Office, OpenedAt = opened, OpenedBy = "x",
                Parties = [new Party { Name = "李四", Role = PartyRole.Applicant }],
                Decision = outcome is { } o
                    ? new Decision(o, decided!.Value, "x", o == CaseOutcome.Referred ? "法院" : null, null)
                    : null,
            });
        var aug = new DateTimeOffset(2026, 8, 10, 9, 0, 0, china);
        var sep = new DateTimeOffset(2026, 9, 15, 9, 0, 0, china);
        var oct = new DateTimeOffset(2026, 10, 20, 9, 0, 0, china);
        Case(aug, CaseOutcome.Settled, sep);
        Case(aug, CaseOutcome.Settled, new DateTimeOffset(2026, 8, 31, 17, 0, 0, TimeSpan.Zero));   // 1 Sep in China
        Case(aug, CaseOutcome.Failed, sep);
        Case(sep, CaseOutcome.Withdrawn, sep);
        Case(sep, CaseOutcome.Settled, oct);
        Case(sep, CaseOutcome.Referred, oct);
        Case(oct);

        static MonthlyMediation Month(string p, int opened, int s, int f, int r, int w, decimal? rate) =>
            new(Period.Parse(p), opened, s, f, r, w, rate);
        var expected = new[]
        {
            Month("2026-08", 3, 0, 0, 0, 0, null), Month("2026-09", 3, 2, 1, 0, 1, 0.6667m),
            Month("2026-10", 1, 1, 0, 1, 0, 0.5m), Month("2026-11", 0, 0, 0, 0, 0, null),
        };
        Assert.Equal(expected, Mediation.Monthly("citong", Period.Parse("2026-08"), Period.Parse("2026-11")));

        var resident = await ResidentWeb.SignInAsync(_app, "3栋501");
        var stats = await GetAsync(resident, "/api/communities/citong/mediation/stats?from=2026-08&to=2026-11");
        var json = _app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        Assert.Equal(expected, stats.Deserialize<MonthlyMediation[]>(json));
        Assert.DoesNotContain("李", stats.GetRawText());
        Assert.Equal(12, (await GetAsync(resident, "/api/communities/citong/mediation/stats")).GetArrayLength());
        var bad = await GetAsync(resident, "/api/communities/citong/mediation/stats?from=2026-13",
            HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("from", out _));
        await GetAsync(resident, "/api/communities/citong/mediation/stats?from=2026-10&to=2026-09",
            HttpStatusCode.BadRequest);
        await GetAsync(await StrangerAsync(), "/api/communities/citong/mediation/stats", HttpStatusCode.Forbidden);
    }
}
