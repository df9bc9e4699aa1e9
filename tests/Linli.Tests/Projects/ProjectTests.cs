using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Linli.Projects;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Projects;

/// <summary>Projects funded from several sources, their append-only money and a final account to the fen.</summary>
public sealed class ProjectTests : IDisposable
{
    private const string Base = "/api/communities/citong/projects";
    private LinliAppFactory? _factory;

    public void Dispose() => _factory?.Dispose();

    /// <summary>The demo estate from the run's seeded copy; tests that need a second community seed one more.</summary>
    /// <remarks>These tests number, list and count from a community's first project: the demo's are removed.</remarks>
    private LinliAppFactory App => _factory ??= new LinliAppFactory().WithoutDemoProjects();

    private void WithAnotherCommunity() => _factory =
        new LinliAppFactory(new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" })
            .WithoutDemoProjects();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => App.Services.GetRequiredService<LinliDatabase>();
    private ProjectService Projects => App.Services.GetRequiredService<ProjectService>();

    private static async Task<JsonElement> Expect(HttpStatusCode status, Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{response.StatusCode} (wanted {status}): {body}");
        return body.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true
            ? JsonDocument.Parse(body).RootElement : default;
    }

    private static Task<JsonElement> Post(HttpClient client, string path, object body,
        HttpStatusCode status = HttpStatusCode.Created) =>
        Expect(status, client.PostAsJsonAsync(Base + path, body, Ct));

    private static async Task<string> CreateAsync(HttpClient client, decimal budget = 86_000m) =>
        (await Post(client, "", new { title = "3栋消防主管补水", description = "消防主管干管，补水并更换阀门", budget }))
            .GetProperty("number").GetString()!;

    private static Task<JsonElement> Step(HttpClient client, string number, string status,
        HttpStatusCode expected = HttpStatusCode.OK) => Post(client, $"/{number}/status", new { status }, expected);

    [Fact]
    public async Task AProjectFundedFromFourSourcesBalancesToTheFenAndClosesOnlyAfterARefund()
    {
        var manager = await StaffClient.SignInAsync(App, "manager");
        var number = await CreateAsync(manager);
        Assert.Matches(@"^XM-\d{4}-01$", number);
        await Step(manager, number, "Funding");

        var pledges = new (string Source, string Funder, decimal Amount)[]
        {
            ("ResidentContributions", "业主自筹（126户）", 25_200m), ("MaintenanceFund", "3栋公维金", 30_000m),
            ("Charity", "泉州市慈善总会", 10_000m), ("GovernmentTopUp", "丰泽区住建局（以奖代补）", 20_000m),
        };
        foreach (var (source, funder, amount) in pledges)
            await Post(manager, $"/{number}/pledges", new { source, funder, amount });
        var receipts = new (string Source, string Funder, decimal Amount, string Reference)[]
        {
            ("ResidentContributions", "业主自筹（126户）", 12_600.10m, "BANK-001"),
            ("ResidentContributions", "业主自筹（126户）", 12_599.90m, "BANK-002"),
            ("MaintenanceFund", "3栋公维金", 30_000m, "GWJ-2026-0117"), ("Charity", "泉州市慈善总会", 9_999.99m, "BANK-003"),
            ("GovernmentTopUp", "丰泽区住建局（以奖代补）", 20_000m, "CZ-88"), ("Company", "福建安消科技有限公司", 1_000.01m, "BANK-004"),
        };
        foreach (var (source, funder, amount, reference) in receipts)
            await Post(manager, $"/{number}/receipts", new { source, funder, amount, reference });
        await Post(manager, $"/{number}/expenses",
            new { what = "消防管道修复", payee = "泉州安泰消防工程有限公司", amount = 79_999.97m });
        await Post(manager, $"/{number}/expenses", new { what = "水压检测", payee = "丰泽区消防检测站", amount = 5_600.02m });

        var account = Projects.FinalAccount("citong", number);
        Assert.Equal(
            [
                new SourceAccount(FundingSource.ResidentContributions, "业主自筹", 25_200m, 25_200m, 0m, false),
                new SourceAccount(FundingSource.MaintenanceFund, "公维金", 30_000m, 30_000m, 0m, false),
                new SourceAccount(FundingSource.Charity, "慈善捐赠", 10_000m, 9_999.99m, 0.01m, false),
                new SourceAccount(FundingSource.Company, "企业资助", 0m, 1_000.01m, -1_000.01m, true),
                new SourceAccount(FundingSource.GovernmentTopUp, "以奖代补", 20_000m, 20_000m, 0m, false),
            ],
            account.Sources);
        Assert.Equal((85_200m, 86_200m, 85_599.99m, 600.01m, false),
            (account.Pledged, account.Received, account.Spent, account.Balance, account.Balanced));
        Assert.Equal(account.Received, account.Sources.Sum(s => s.Received));
        Assert.Equal(account.Pledged, account.Sources.Sum(s => s.Pledged));
        // The page shows the same account as the service.
        var page = await Expect(HttpStatusCode.OK, manager.GetAsync($"{Base}/{number}", Ct));
        Assert.Equal(600.01m, page.GetProperty("account").GetProperty("balance").GetDecimal());
        Assert.Equal(6, page.GetProperty("receipts").GetArrayLength());

        var progress = Assert.Single(Projects.Progress("citong"));
        Assert.Equal((number, 86_200m, 85_599.99m, 100.2m),
            (progress.Number, progress.Received, progress.Spent, progress.PercentFunded));

        await Step(manager, number, "InProgress");
        await Post(manager, $"/{number}/acceptance", new { acceptedBy = "业委会 委员二人；丰泽区消防大队", note = "水压达标" },
            HttpStatusCode.OK);
        var refused = await Step(manager, number, "Closed", HttpStatusCode.Conflict);
        Assert.Contains("600.01", refused.GetProperty("detail").GetString());

        await Post(manager, $"/{number}/expenses",
            new { what = "结余退回", payee = "退回3栋公维金账户", amount = 600.01m, refund = true });
        var closed = await Step(manager, number, "Closed");
        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.Equal((0m, true, 600.01m), (closed.GetProperty("account").GetProperty("balance").GetDecimal(),
            closed.GetProperty("account").GetProperty("balanced").GetBoolean(),
            closed.GetProperty("account").GetProperty("refunded").GetDecimal()));
        Assert.Empty(Projects.Progress("citong"));
        await Post(manager, $"/{number}/receipts", new { source = "Charity", funder = "泉州市慈善总会", amount = 0.01m },
            HttpStatusCode.Conflict);

        // The account sheet: a BOM for Excel, the header, every line, the totals.
        var sheet = await manager.GetAsync($"{Base}/{number}/account.csv", Ct);
        Assert.Equal("text/csv", sheet.Content.Headers.ContentType?.MediaType);
        var bytes = await sheet.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal(string.Join(',', ProjectCsv.Header), rows[0]);
        Assert.Equal(["P1", "P2", "P3", "P4", "R1", "R2", "R3", "R4", "R5", "R6", "E1", "E2", "E3"],
            rows.Skip(1).TakeWhile(r => r.Length > 0).Select(r => r.Split(',')[0]));
        Assert.Contains("E3,支出,,退回3栋公维金账户,结余退回,600.01,", rows[13]);
        Assert.Contains("企业资助,0.00,1000.01,-1000.01,是", rows);
        Assert.Contains("结余,0.00", rows);

        var actions = Db.AuditLog.Find(e => e.CommunityId == "citong" && e.Target == number)
            .Select(e => e.Action).ToList();
        Assert.Equal(4, actions.Count(a => a == "project.pledge"));
        Assert.Equal(6, actions.Count(a => a == "project.receipt"));
        foreach (var action in new[] { "project.create", "project.expense", "project.refund", "project.accept" })
            Assert.Contains(action, actions);
        Assert.Equal(3, actions.Count(a => a == "project.status"));
    }

    [Fact]
    public async Task StepsOutOfOrderAreConflictsAndAcceptanceComesOnlyAfterTheWorks()
    {
        var manager = await StaffClient.SignInAsync(App, "manager");
        var number = await CreateAsync(manager);
        Assert.Equal(number[..^2] + "02", await CreateAsync(manager));
        await Step(manager, number, "InProgress", HttpStatusCode.Conflict);
        await Step(manager, number, "Closed", HttpStatusCode.Conflict);
        await Post(manager, $"/{number}/acceptance", new { acceptedBy = "业委会" }, HttpStatusCode.Conflict);
        await Step(manager, number, "Accepted", HttpStatusCode.BadRequest);
        await Step(manager, number, "Planned", HttpStatusCode.BadRequest);
        foreach (var bad in new[] { "Done", "1", "Funding, InProgress" })
            await Step(manager, number, bad, HttpStatusCode.BadRequest);
        await Step(manager, number, "Funding");
        await Step(manager, number, "Funding", HttpStatusCode.Conflict);
        await Post(manager, $"/{number}/acceptance", new { acceptedBy = "业委会" }, HttpStatusCode.Conflict);
        await Step(manager, number, "InProgress");
        await Step(manager, number, "Closed", HttpStatusCode.Conflict);
        await Post(manager, $"/{number}/acceptance", new { acceptedBy = "" }, HttpStatusCode.BadRequest);
        var accepted = await Post(manager, $"/{number}/acceptance",
            new { acceptedBy = "业委会 委员二人", date = "2025-06-30" }, HttpStatusCode.OK);
        Assert.Equal("Accepted", accepted.GetProperty("status").GetString());
        Assert.Equal("2025-06-30", accepted.GetProperty("acceptance").GetProperty("date").GetString());
        Assert.Equal(["Funding", "InProgress", "Accepted"],
            accepted.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()));
        await Post(manager, $"/{number}/acceptance", new { acceptedBy = "业委会" }, HttpStatusCode.Conflict);
        // Nothing spent, nothing received: the account balances at zero and the project closes.
        await Step(manager, number, "Closed");
        await Expect(HttpStatusCode.NotFound, manager.GetAsync($"{Base}/XM-1999-01", Ct));
    }

    [Fact]
    public async Task AMistakeIsReversedOnceAndMoneyLinesCannotBeChangedOrDeleted()
    {
        var service = await StaffClient.SignInAsync(App, "service");
        var number = await CreateAsync(service, 5_000m);
        await Post(service, $"/{number}/receipts", new { source = "Charity", funder = "泉州市慈善总会", amount = 1_000m });
        var reversal = await Post(service, $"/{number}/reversals", new { lineId = "R1", reason = "重复录入" });
        Assert.Equal(("R2", -1_000m, "R1"), (reversal.GetProperty("id").GetString(),
            reversal.GetProperty("amount").GetDecimal(), reversal.GetProperty("reverses").GetString()));
        await Post(service, $"/{number}/reversals", new { lineId = "R1", reason = "再次" }, HttpStatusCode.Conflict);
        await Post(service, $"/{number}/reversals", new { lineId = "R2", reason = "撤销冲销" }, HttpStatusCode.Conflict);
        await Post(service, $"/{number}/reversals", new { lineId = "R9", reason = "?" }, HttpStatusCode.NotFound);
        await Post(service, $"/{number}/reversals", new { lineId = "R1" }, HttpStatusCode.BadRequest);

        var page = await Expect(HttpStatusCode.OK, service.GetAsync($"{Base}/{number}", Ct));
        Assert.Equal("R2", page.GetProperty("receipts")[0].GetProperty("reversedBy").GetString());
        Assert.Equal((0m, 0m), (page.GetProperty("account").GetProperty("received").GetDecimal(),
            page.GetProperty("account").GetProperty("sources")[0].GetProperty("received").GetDecimal()));
        Assert.Equal(2, Db.Projects.FindById($"citong/{number}").Lines.Count);

        foreach (var path in new[] { "", "/receipts", "/receipts/R1", "/pledges/P1", "/expenses/E1", "/reversals" })
            foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
            {
                var request = new HttpRequestMessage(method, $"{Base}/{number}{path}")
                {
                    Content = JsonContent.Create(new { amount = 1m }),
                };
                var status = (await service.SendAsync(request, Ct)).StatusCode;
                Assert.True(status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound,
                    $"{method} {path}: {status}");
            }
        Assert.Equal(2, Db.Projects.FindById($"citong/{number}").Lines.Count);

        // Money is yuan to the fen, positive; residents' money is named as a group, never a person or a phone.
        var resident = Db.People.Find(p => p.CommunityId == "citong" && p.Title == null && !p.IsOrganization)
            .First().Name;
        foreach (var bad in new object[]
                 {
                     new { source = "Charity", funder = "慈善总会", amount = 12.345m },
                     new { source = "Charity", funder = "慈善总会", amount = -1m },
                     new { source = "Charity", funder = "慈善总会", amount = 0m },
                     new { source = "Lottery", funder = "某彩票", amount = 1m },
                     new { source = "ResidentContributions", funder = $"{resident}（3栋502）", amount = 1m },
                     new { source = "Company", funder = "张记五金 13800138000", amount = 1m },
                 })
        {
            var problem = await Post(service, $"/{number}/pledges", bad, HttpStatusCode.BadRequest);
            Assert.Equal(JsonValueKind.Object, problem.GetProperty("errors").ValueKind);
        }
        var group = await Post(service, $"/{number}/pledges",
            new { source = "ResidentContributions", amount = 2_520.5m });
        Assert.Equal("业主自筹", group.GetProperty("party").GetString());
    }

    [Fact]
    public async Task ResidentsReadTheCommitteeWritesAndOtherCommunitiesSeeNothing()
    {
        WithAnotherCommunity();
        var committee = await StaffClient.SignInAsync(App, "committee1");
        var number = await CreateAsync(committee);
        await Post(committee, $"/{number}/pledges",
            new { source = "GovernmentTopUp", funder = "丰泽区住建局", amount = 20_000m });

        var resident = await ResidentWeb.SignInAsync(App, "3栋502");
        var list = await Expect(HttpStatusCode.OK, resident.GetAsync(Base, Ct));
        Assert.Equal(20_000m, Assert.Single(list.EnumerateArray()).GetProperty("pledged").GetDecimal());
        await Expect(HttpStatusCode.OK, resident.GetAsync($"{Base}/{number}", Ct));
        await Expect(HttpStatusCode.OK, resident.GetAsync($"{Base}/{number}/account.csv", Ct));
        await Post(resident, "", new { title = "x", budget = 1m }, HttpStatusCode.Forbidden);
        var gift = new { source = "Charity", funder = "泉州市慈善总会", amount = 1m };
        await Post(resident, $"/{number}/receipts", gift, HttpStatusCode.Forbidden);
        await Post(resident, $"/{number}/status", new { status = "Funding" }, HttpStatusCode.Forbidden);

        var stranger = await StaffClient.SignInAsync(App, "syn0001.manager");
        await Expect(HttpStatusCode.NotFound, stranger.GetAsync(Base, Ct));
        await Expect(HttpStatusCode.NotFound, stranger.GetAsync($"{Base}/{number}", Ct));
        await Expect(HttpStatusCode.NotFound, stranger.GetAsync($"{Base}/{number}/account.csv", Ct));
        await Post(stranger, $"/{number}/pledges", gift, HttpStatusCode.NotFound);
        var strangerResident = await ResidentWeb.SignInAsync(App, "1栋101", communityId: "syn0001");
        await Expect(HttpStatusCode.NotFound, strangerResident.GetAsync($"{Base}/{number}", Ct));
        await Expect(HttpStatusCode.Unauthorized, App.CreateClient().GetAsync($"{Base}/{number}", Ct));
        await Expect(HttpStatusCode.Unauthorized,
            App.CreateClient().PostAsJsonAsync($"{Base}/{number}/receipts", gift, Ct));

        Assert.Equal(1, Db.Projects.Count());
        // Only the two writes that were allowed (entries made in one millisecond have no order).
        Assert.Equal(["project.create", "project.pledge"],
            Db.AuditLog.Find(e => e.Target == number).Select(e => e.Action).Order());
        Assert.All(Db.AuditLog.Find(e => e.Target == number), e => Assert.Equal("citong", e.CommunityId));
    }

    [Fact]
    public async Task ProgressUpdatesCarryOnlyThisCommunitysImages()
    {
        WithAnotherCommunity();
        var manager = await StaffClient.SignInAsync(App, "manager");
        var number = await CreateAsync(manager);
        var mine = await UploadAsync(manager);
        var theirs = await UploadAsync(await StaffClient.SignInAsync(App, "syn0001.manager"), "syn0001");

        var update = await Post(manager, $"/{number}/updates", new { text = "管道已进场", photoUploadIds = new[] { mine } });
        Assert.Equal([mine], update.GetProperty("photoIds").EnumerateArray().Select(p => p.GetString()));
        await Post(manager, $"/{number}/updates", new { text = "别处的图", photoUploadIds = new[] { theirs } },
            HttpStatusCode.BadRequest);
        await Post(manager, $"/{number}/updates", new { text = "假图", photoUploadIds = new[] { new string('a', 32) } },
            HttpStatusCode.BadRequest);
        await Post(manager, $"/{number}/receipts",
            new { source = "Charity", funder = "泉州市慈善总会", amount = 100m, proofUploadIds = new[] { theirs } },
            HttpStatusCode.BadRequest);
        await Post(manager, $"/{number}/updates", new { text = "" }, HttpStatusCode.BadRequest);

        var progress = Assert.Single(Projects.Progress("citong"));
        Assert.Equal(("管道已进场", ProjectStatus.Planned, 0m),
            (progress.LastUpdate, progress.Status, progress.PercentFunded));
        Assert.NotNull(progress.LastUpdateAt);
    }

    private static async Task<string> UploadAsync(HttpClient client, string community = "citong")
    {
        using var form = new MultipartFormDataContent();
        var png = new ByteArrayContent(Convert.FromBase64String(ResidentChat.OnePixelPng));
        png.Headers.ContentType = new("image/png");
        form.Add(png, "file", "site.png");
        var uploaded = await Expect(
            HttpStatusCode.Created, client.PostAsync($"/api/communities/{community}/proofs", form, Ct));
        return uploaded.GetProperty("id").GetString()!;
    }
}
