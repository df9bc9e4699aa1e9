using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.MaintenanceFund;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.TeaTable;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.OpenAccounts;

/// <summary>
/// The maintenance fund: shares by floor area, and money out only after the owners' vote of the right matter passed,
/// or in a flagged emergency a manager spends first and the committee confirms.
/// </summary>
public sealed class MaintenanceFundTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LinliAppFactory _app;
    private const string Api = "/api/communities/citong/fund";

    public MaintenanceFundTests() =>
        _app = new LinliAppFactory(new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" },
            time: _clock);

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();
    private FundService Fund => _app.Services.GetRequiredService<FundService>();

    private static async Task<JsonElement> Json(HttpResponseMessage response,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<string> Problem(HttpResponseMessage response, HttpStatusCode expected) =>
        (await Json(response, expected)).GetProperty("title").GetString()!;

    private Task<HttpResponseMessage> ApplyAsync(HttpClient who, string title, int[] buildings, decimal estimate,
        string matter = "UseFund", bool emergency = false) =>
        who.PostAsJsonAsync($"{Api}/applications", new
        {
            title, description = "电梯钢丝绳磨损，维保单位建议更换。", buildings, estimate, matter, emergency,
            emergencyReason = emergency ? "电梯停运，困人风险" : null,
            quotes = new[]
            {
                new { supplier = "泉州电梯工程公司", amount = estimate },
                new { supplier = "闽南机电", amount = estimate + 2000 },
            },
            deadline = _clock.GetUtcNow().AddHours(2),
        }, Ct);

    /// <summary>Every owner of <paramref name="building"/> votes <paramref name="stance"/>.</summary>
    private void AllVote(int thread, int building, Stance stance)
    {
        foreach (var unit in Db.Units.Find(u => u.CommunityId == "citong" && u.BuildingNumber == building))
            Db.TeaVotes.Upsert(new VoteRecord
            {
                Id = $"{thread}|{unit.Id}", ThreadId = thread, UnitId = unit.Id, PersonId = "p", Stance = stance,
                At = _clock.GetUtcNow(),
            });
    }

    private void CloseVotes()
    {
        _clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        _app.Services.GetRequiredService<TeaTableTimers>().RunTimers();
    }

    [Fact]
    public async Task Money_moves_only_after_the_owners_vote_passed_and_is_recorded_against_it()
    {
        var manager = await StaffClient.SignInAsync(_app, "manager");
        await Json(await manager.PostAsJsonAsync($"{Api}/contributions",
            new { flat = "2栋201", amount = 8_888.88m, note = "首期" }, Ct));
        var before = await Json(await manager.GetAsync(Api, Ct));
        Assert.Equal(Db.FundEntries.Find(e => e.CommunityId == "citong").Sum(e => e.Amount),
            before.GetProperty("balance").GetDecimal());

        var application = await Json(await ApplyAsync(manager, "2栋电梯更换钢丝绳", [2], 5_000m),
            HttpStatusCode.Created);
        var (number, thread) =
            (application.GetProperty("number").GetString()!, application.GetProperty("thread").GetInt32());
        Assert.Equal("Voting", application.GetProperty("status").GetString());
        var proposal = Db.TeaThreads.FindById(thread);
        Assert.Equal((Matter.UseFund, 2), (proposal.Proposal!.Matter, proposal.Building!.Value));
        Assert.Contains("泉州电梯工程公司", Db.TeaPosts.FindOne(p => p.ThreadId == thread).Text);

        var spend = new { amount = 3_000m, payee = "泉州电梯工程公司", note = "首付款" };
        Assert.Equal("Not approved by the owners", await Problem(
            await manager.PostAsJsonAsync($"{Api}/applications/{number}/withdrawals", spend, Ct),
            HttpStatusCode.Conflict));
        AllVote(thread, 2, Stance.Agree);
        CloseVotes();
        Assert.Equal("Approved",
            (await Json(await manager.GetAsync($"{Api}/applications/{number}", Ct))).GetProperty("status").GetString());

        var flat = Db.Units.FindOne(u => u.CommunityId == "citong" && u.BuildingNumber == 2 && u.Room == "201");
        var flatBefore = Fund.Summary("citong", flat.Id).MyFlat!.Value;
        var paid = await Json(await manager.PostAsJsonAsync($"{Api}/applications/{number}/withdrawals", spend, Ct));
        Assert.Equal((-3_000m, thread, "Passed"), (paid.GetProperty("amount").GetDecimal(),
            paid.GetProperty("voteThread").GetInt32(), paid.GetProperty("vote").GetProperty("outcome").GetString()));
        Assert.Equal("Over the estimate", await Problem(
            await manager.PostAsJsonAsync($"{Api}/applications/{number}/withdrawals", spend, Ct),
            HttpStatusCode.Conflict));

        // The withdrawal is building 2's, shared by its flats' floor area; other buildings keep theirs.
        var after = await Json(await manager.GetAsync(Api, Ct));
        Assert.Equal(before.GetProperty("balance").GetDecimal() - 3_000m, after.GetProperty("balance").GetDecimal());
        decimal Building(JsonElement s, int n) =>
            s.GetProperty("buildings").EnumerateArray()
                .First(b => b.GetProperty("building").GetInt32() == n)
                .GetProperty("balance").GetDecimal();
        Assert.Equal(Building(before, 2) - 3_000m, Building(after, 2));
        Assert.Equal(Building(before, 1), Building(after, 1));
        var owner = await ResidentWeb.SignInAsync(_app, "2栋201");
        var mine = await Json(await owner.GetAsync(Api, Ct));
        var buildingArea = Db.Units.Find(u => u.CommunityId == "citong" && u.BuildingNumber == 2).Sum(u => u.Area);
        var share = 3_000m * flat.Area / buildingArea;
        Assert.InRange(mine.GetProperty("myFlat").GetDecimal() - (flatBefore - share), -0.01m, 0.01m);
        Assert.Contains(Db.AuditLog.FindAll(), e => e.Action == "fund.spend" && e.Target == number);

        // A rejected use spends nothing; raising the fund is item 6 (three quarters) and is not a withdrawal.
        var rejected = (await Json(await ApplyAsync(manager, "2栋外墙翻新", [2], 1_000m), HttpStatusCode.Created));
        var raise = await Json(await ApplyAsync(manager, "续筹公维金", [], 100_000m, "RaiseFund"), HttpStatusCode.Created);
        Assert.True(Db.TeaThreads.FindById(raise.GetProperty("thread").GetInt32()).Proposal
            is { Matter: Matter.RaiseFund });
        AllVote(rejected.GetProperty("thread").GetInt32(), 2, Stance.Disagree);
        CloseVotes();
        Assert.Equal("Rejected", (await Json(await manager.GetAsync(
                $"{Api}/applications/{rejected.GetProperty("number").GetString()}", Ct)))
            .GetProperty("status").GetString());
        Assert.Equal("Not approved by the owners", await Problem(await manager.PostAsJsonAsync(
                $"{Api}/applications/{rejected.GetProperty("number").GetString()}/withdrawals",
                spend with { amount = 1m }, Ct),
            HttpStatusCode.Conflict));
        Assert.Equal("Nothing to spend", await Problem(await manager.PostAsJsonAsync(
                $"{Api}/applications/{raise.GetProperty("number").GetString()}/withdrawals", spend, Ct),
            HttpStatusCode.Conflict));
        Assert.Equal(after.GetProperty("balance").GetDecimal(), Fund.Summary("citong", null).Balance);
    }

    [Fact]
    public async Task In_an_emergency_a_manager_spends_first_the_use_is_disclosed_and_the_committee_confirms_it()
    {
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var service = await StaffClient.SignInAsync(_app, "service");
        var committee = await StaffClient.SignInAsync(_app, "committee1");
        await Json(await manager.PostAsJsonAsync($"{Api}/contributions", new { flat = "1栋101", amount = 20_000m }, Ct));
        var emergencyBefore = Fund.Summary("citong", null).Emergency;

        Assert.Equal("Managers only", await Problem(
            await ApplyAsync(service, "1栋电梯停运抢修", [1], 2_000m, emergency: true),
            HttpStatusCode.Forbidden));
        var application = await Json(await ApplyAsync(manager, "1栋电梯停运抢修", [1], 2_000m, emergency: true),
            HttpStatusCode.Created);
        var number = application.GetProperty("number").GetString()!;
        Assert.Equal("AwaitingConfirmation", application.GetProperty("status").GetString());
        var disclosure = Db.TeaThreads.FindById(application.GetProperty("thread").GetInt32());
        Assert.Null(disclosure.Proposal);
        Assert.Contains("应急使用", disclosure.Title);

        var spend = new { amount = 1_500m, payee = "泉州电梯工程公司" };
        Assert.Equal("Managers only", await Problem(
            await service.PostAsJsonAsync($"{Api}/applications/{number}/withdrawals", spend, Ct),
            HttpStatusCode.Forbidden));
        var paid = await Json(await manager.PostAsJsonAsync($"{Api}/applications/{number}/withdrawals", spend, Ct));
        Assert.Equal("EmergencyWithdrawal", paid.GetProperty("kind").GetString());
        Assert.Equal(emergencyBefore + 1_500m,
            (await Json(await manager.GetAsync(Api, Ct))).GetProperty("emergency").GetDecimal());

        var owner = await ResidentWeb.SignInAsync(_app, "1栋101");
        Assert.Equal("The committee confirms", await Problem(
            await owner.PostAsync($"{Api}/applications/{number}/confirmation", null, Ct),
            HttpStatusCode.Forbidden));
        var confirmed = await Json(await committee.PostAsync($"{Api}/applications/{number}/confirmation", null, Ct));
        Assert.Equal("Confirmed", confirmed.GetProperty("status").GetString());
        Assert.Equal("Confirmed", await Problem(
            await committee.PostAsync($"{Api}/applications/{number}/confirmation", null, Ct),
            HttpStatusCode.Conflict));

        var elsewhere = await StaffClient.SignInAsync(_app, "syn0001.manager");
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync(Api, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await elsewhere.PostAsJsonAsync($"{Api}/applications/{number}/withdrawals", spend, Ct)).StatusCode);
    }
}
