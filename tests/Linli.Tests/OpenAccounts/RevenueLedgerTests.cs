using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Linli.Calendar;
using Linli.Fees;
using Linli.PublicRevenue;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.OpenAccounts;

/// <summary>
/// The public revenue ledger: lines only added, mistakes reversed, months closed in order and reconciled to the fen,
/// audited by the committee and the owners it appointed, read by every owner and nobody else.
/// </summary>
public sealed class RevenueLedgerTests : IDisposable
{
    private readonly LinliAppFactory _app =
        new(new() { ["Demo:SyntheticCommunities"] = "1", ["Demo:SyntheticUnits"] = "72" });

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();
    private const string Api = "/api/communities/citong/revenue";

    /// <summary>A month the demo's history does not reach, already over on the test's clock.</summary>
    private static readonly Period Month = Period.Parse(LinliAppFactory.LastPeriod).AddMonths(1);

    private static async Task<JsonElement> Ok(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<string> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString()!;
    }

    private static Task<HttpResponseMessage> Line(HttpClient staff, string kind, string what, decimal amount,
        string? period = null, string counterparty = "泉州停车管理有限公司", string[]? proofs = null) =>
        staff.PostAsJsonAsync($"{Api}/lines", new
        {
            kind, source = kind == "Income" ? what : null, purpose = kind == "Spending" ? what : null, counterparty,
            period = period ?? Month.ToString(), amount, note = "=HYPERLINK(\"x\")", proofs,
        }, Ct);

    private static readonly HttpStatusCode[] NoSuchRoute = [HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed];

    [Fact]
    public async Task Lines_are_only_added_reversals_correct_them_and_closed_months_reconcile_to_the_fen()
    {
        var staff = await StaffClient.SignInAsync(_app, "service");
        var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF"));
        var proof = (await Ok(await staff.PostAsync("/api/communities/citong/proofs", pdf, Ct), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        Assert.Equal("Not a proof", await Problem(
            await staff.PostAsync("/api/communities/citong/proofs", new StringContent("<script>"), Ct),
            HttpStatusCode.BadRequest));
        Assert.Equal("Unknown proof", await Problem(
            await Line(staff, "Income", "Parking", 1, proofs: ["0123456789abcdef0123456789abcdef"]),
            HttpStatusCode.BadRequest));

        var parking = await Ok(await Line(staff, "Income", "Parking", 12_345.67m, proofs: [proof]),
            HttpStatusCode.Created);
        await Ok(await Line(staff, "Income", "LiftAdvertising", 3_000m, counterparty: "分众传媒"), HttpStatusCode.Created);
        await Ok(await Line(staff, "Spending", "Greening", 1_234.56m, counterparty: "绿化公司"), HttpStatusCode.Created);
        var wrong = await Ok(await Line(staff, "Income", "EvCharging", 999.99m, counterparty: "充电桩运营商"),
            HttpStatusCode.Created);
        Assert.Equal("Bad amount",
            await Problem(await Line(staff, "Income", "Parking", 1.001m), HttpStatusCode.BadRequest));
        Assert.Equal("Unknown source",
            await Problem(await Line(staff, "Income", "Lottery", 1m), HttpStatusCode.BadRequest));

        // No way to change or remove a line: the only correction is its opposite.
        var number = wrong.GetProperty("number").GetInt32();
        Assert.Contains((await staff.PutAsJsonAsync($"{Api}/lines/{number}", new { amount = 1 }, Ct)).StatusCode,
            NoSuchRoute);
        Assert.Contains((await staff.DeleteAsync($"{Api}/lines/{number}", Ct)).StatusCode, NoSuchRoute);
        var reversal = await Ok(await staff.PostAsJsonAsync($"{Api}/lines/{number}/reversal",
            new { note = "录错了，应为11月" }, Ct));
        Assert.Equal(-999.99m, reversal.GetProperty("amount").GetDecimal());
        Assert.Equal(number, reversal.GetProperty("reverses").GetInt32());
        Assert.Equal("A reversal", await Problem(await staff.PostAsJsonAsync(
                $"{Api}/lines/{reversal.GetProperty("number").GetInt32()}/reversal", new { note = "again" }, Ct),
            HttpStatusCode.Conflict));

        await Ok(await Line(staff, "Income", "Recycling", 55.50m, period: Month.AddMonths(-1).ToString(),
            counterparty: "废品回收站"), HttpStatusCode.Created);
        var month = await Ok(await staff.GetAsync($"{Api}/{Month}", Ct));
        Assert.Equal(15_345.67m, month.GetProperty("income").GetDecimal());
        Assert.Equal(1_234.56m, month.GetProperty("spending").GetDecimal());
        Assert.Equal("Open", month.GetProperty("status").GetString());
        var opening = month.GetProperty("opening").GetDecimal();
        Assert.Equal(opening + 14_111.11m, month.GetProperty("closing").GetDecimal());

        // Months close in order; closing fixes a month: nothing more lands in it.
        Assert.Equal("Close in order",
            await Problem(await staff.PostAsync($"{Api}/{Month}/close", null, Ct), HttpStatusCode.Conflict));
        var prior = await Ok(await staff.PostAsync($"{Api}/{Month.AddMonths(-1)}/close", null, Ct));
        Assert.Equal(opening, prior.GetProperty("closing").GetDecimal());
        var closed = await Ok(await staff.PostAsync($"{Api}/{Month}/close", null, Ct));
        Assert.Equal(opening + 14_111.11m, closed.GetProperty("closing").GetDecimal());
        Assert.Equal("Already closed",
            await Problem(await staff.PostAsync($"{Api}/{Month}/close", null, Ct), HttpStatusCode.Conflict));
        Assert.Equal("Month closed",
            await Problem(await Line(staff, "Income", "Parking", 1m), HttpStatusCode.Conflict));
        Assert.Equal("Month not over", await Problem(
            await staff.PostAsync($"{Api}/{Month.AddMonths(60)}/close", null, Ct),
            HttpStatusCode.Conflict));

        // A correction of a closed month goes to an open one; the closed figures stay, and everything reconciles.
        var late = await Ok(await staff.PostAsJsonAsync(
            $"{Api}/lines/{parking.GetProperty("number").GetInt32()}/reversal",
            new { note = "合同金额有误", period = Month.AddMonths(1).ToString() }, Ct));
        Assert.Equal(Month.AddMonths(1).ToString(), late.GetProperty("period").GetString());
        Assert.Equal(15_345.67m,
            (await Ok(await staff.GetAsync($"{Api}/{Month}", Ct))).GetProperty("income").GetDecimal());
        var next = await Ok(await staff.GetAsync($"{Api}/{Month.AddMonths(1)}", Ct));
        Assert.Equal(closed.GetProperty("closing").GetDecimal(), next.GetProperty("opening").GetDecimal());
        var everyLine = Db.RevenueLines.Find(l => l.CommunityId == "citong")
            .Sum(l => l.Kind == LineKind.Income ? l.Amount : -l.Amount);
        Assert.Equal(everyLine, next.GetProperty("closing").GetDecimal());
        Assert.Equal(closed.GetProperty("closing").GetDecimal() - 12_345.67m, next.GetProperty("closing").GetDecimal());
        Assert.Contains(Db.AuditLog.FindAll(), e => e.Action == "revenue.reverse" && e.Target == $"{number}");

        // CSV: a spreadsheet reads the Chinese, every line is there, and a note is never a formula.
        var csv = await staff.GetAsync($"{Api}/export.csv?from={Month}&to={Month.AddMonths(1)}", Ct);
        var bytes = await csv.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("编号 No.,月份 Month", rows[0]);
        Assert.Equal(6, rows.Length - 1);
        Assert.Contains(rows, r => r.Contains("\"'=HYPERLINK(\"\"x\"\")\""));
    }

    [Fact]
    public async Task The_committee_and_its_owner_auditors_sign_off_or_object_and_the_office_answers_in_writing()
    {
        var staff = await StaffClient.SignInAsync(_app, "service");
        var line = (await Ok(await Line(staff, "Income", "VenueRental", 800m, counterparty: "舞蹈培训班"),
                HttpStatusCode.Created))
            .GetProperty("number").GetInt32();
        var committee = await StaffClient.SignInAsync(_app, "committee1");
        var owner = await ResidentWeb.SignInAsync(_app, "3栋502");
        var neighbour = await ResidentWeb.SignInAsync(_app, "3栋501");

        Assert.Equal("The committee appoints", await Problem(
            await owner.PostAsJsonAsync($"{Api}/auditors", new { flat = "3栋502" }, Ct),
            HttpStatusCode.Forbidden));
        Assert.Equal("Which owner?", await Problem(
            await committee.PostAsJsonAsync($"{Api}/auditors", new { flat = "3栋502" }, Ct),
            HttpStatusCode.BadRequest));
        var unit = Db.Units.FindOne(u => u.CommunityId == "citong" && u.BuildingNumber == 3 && u.Room == "502");
        var name = Db.People.Find(p => p.CommunityId == "citong")
            .First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == Linli.People.UnitRelation.Owner)).Name;
        await Ok(await committee.PostAsJsonAsync($"{Api}/auditors", new { flat = "3栋502", name }, Ct));
        Assert.Contains(Db.AuditLog.FindAll(), e => e.Action == "revenue.appoint" && e.Target == "3栋502");

        Assert.Equal("Not closed",
            await Problem(await committee.PostAsync($"{Api}/{Month}/sign-off", null, Ct), HttpStatusCode.Conflict));
        await Ok(await staff.PostAsync($"{Api}/{Month.AddMonths(-1)}/close", null, Ct));
        await Ok(await staff.PostAsync($"{Api}/{Month}/close", null, Ct));
        Assert.Equal("Pending",
            (await Ok(await owner.GetAsync($"{Api}/{Month}", Ct))).GetProperty("status").GetString());

        // An owner who is not an auditor reads but does not audit.
        Assert.Equal("Auditors only", await Problem(await neighbour.PostAsJsonAsync($"{Api}/lines/{line}/objections",
            new { text = "?" }, Ct), HttpStatusCode.Forbidden));
        var objection = await Ok(await owner.PostAsJsonAsync($"{Api}/lines/{line}/objections",
            new { text = "场地出租800元是否含水电？请出示合同。" }, Ct));
        var view = await Ok(await neighbour.GetAsync($"{Api}/{Month}", Ct));
        Assert.Equal("Objected", view.GetProperty("status").GetString());
        var by = view.GetProperty("objections")[0].GetProperty("by").GetString()!;
        Assert.EndsWith("**", by);
        Assert.Equal("Objections unanswered", await Problem(
            await committee.PostAsync($"{Api}/{Month}/sign-off", null, Ct),
            HttpStatusCode.Conflict));
        Assert.Equal("Staff only", await Problem(await owner.PostAsJsonAsync(
                $"{Api}/objections/{objection.GetProperty("id").GetInt32()}/answer", new { text = "我自己答" }, Ct),
            HttpStatusCode.Forbidden));

        await Ok(await staff.PostAsJsonAsync($"{Api}/objections/{objection.GetProperty("id").GetInt32()}/answer",
            new { text = "含水电，合同见凭证。" }, Ct));
        Assert.Equal("Pending",
            (await Ok(await owner.GetAsync($"{Api}/{Month}", Ct))).GetProperty("status").GetString());
        await Ok(await owner.PostAsJsonAsync($"{Api}/{Month}/sign-off", new { text = "已核对" }, Ct));
        Assert.Equal("Signed",
            await Problem(await owner.PostAsync($"{Api}/{Month}/sign-off", null, Ct), HttpStatusCode.Conflict));
        await Ok(await committee.PostAsync($"{Api}/{Month}/sign-off", null, Ct));
        var audited = await Ok(await neighbour.GetAsync($"{Api}/{Month}", Ct));
        Assert.Equal("Audited", audited.GetProperty("status").GetString());
        Assert.Equal("含水电，合同见凭证。", audited.GetProperty("objections")[0].GetProperty("answer").GetString());

        // Another community's staff and anonymous callers learn nothing.
        var elsewhere = await StaffClient.SignInAsync(_app, "syn0001.manager");
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync($"{Api}/{Month}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await elsewhere.PostAsJsonAsync($"{Api}/lines", new { }, Ct)).StatusCode);
        var anonymous = _app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync($"{Api}/{Month}", Ct)).StatusCode);
    }
}
