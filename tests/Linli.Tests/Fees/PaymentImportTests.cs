using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Linli.Fees;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Fees;

/// <summary>
/// Statements imported (previewed, then applied, never twice) and payments at the counter, each with a receipt.
/// </summary>
public sealed class PaymentImportTests : IDisposable
{
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();
    private const string Payments = "/api/communities/citong/payments";

    private (string Flat, decimal Oldest) Owing()
    {
        var bill = Db.Bills.Find(b => b.CommunityId == "citong")
            .Where(b => !b.IsSettled)
            .OrderBy(b => b.UnitId)
            .ThenBy(b => b.Period)
            .ThenBy(b => b.Kind)
            .First();
        return (Db.Units.FindById(bill.UnitId).Label, bill.Outstanding);
    }

    private string SettledFlat() => Db.Units.Find(u => u.CommunityId == "citong")
        .First(u => Db.Bills.Exists(b => b.UnitId == u.Id)
            && Db.Bills.Find(b => b.UnitId == u.Id).All(b => b.IsSettled))
        .Label;

    private string Statement()
    {
        var (owing, oldest) = Owing();
        var settled = SettledFlat();
        return $"""
            微信支付账单明细
            起始时间：[2026-11-01 00:00:00] 终止时间：[2026-11-30 23:59:59]

            交易时间,公众账号ID,商户号,微信订单号,商户订单号,交易状态,订单金额,商品名称,商户数据包
            `2026-11-15 10:00:00,`wx1,`1900000001,`4200000001,`L001,`SUCCESS,`{oldest:0.00},`物业费,`{owing}
            `2026-11-15 10:01:00,`wx1,`1900000001,`4200000001,`L001,`SUCCESS,`{oldest:0.00},`物业费,`{owing}
            `2026-11-15 10:02:00,`wx1,`1900000001,`4200000002,`L002,`SUCCESS,`120.00,`物业费,`99栋999
            `2026-11-15 10:03:00,`wx1,`1900000001,`4200000003,`L003,`SUCCESS,`50.00,`物业费,`{settled} 2026-10
            `2026-11-15 10:04:00,`wx1,`1900000001,`4200000004,`L004,`SUCCESS,`abc,`物业费,`{owing}
            `2026-11-15 10:05:00,`wx1,`1900000001,`4200000005,`L005,`SUCCESS,`100.00,`物业费,`{settled}
            总交易单数,总交易额
            `6,`{oldest * 2 + 270:0.00}
            """;
    }

    private async Task<JsonElement> ImportAsync(HttpClient staff, string csv, bool apply)
    {
        var response = await staff.PostAsync($"{Payments}/import?source=wechat&apply={apply}",
            new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static string[] Statuses(JsonElement report) =>
        [.. report.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("status").GetString()!)];

    private (int Payments, decimal Paid) Snapshot() =>
        (Db.Payments.Count(), Db.Bills.Find(b => b.CommunityId == "citong").Sum(b => b.AmountPaid));

    [Fact]
    public async Task APreviewReportsEveryRowExactlyAndChangesNothing()
    {
        var staff = await StaffClient.SignInAsync(_app, "service");
        var before = Snapshot();
        var preview = await ImportAsync(staff, Statement(), apply: false);
        Assert.False(preview.GetProperty("applied").GetBoolean());
        Assert.Equal(["Ok", "Duplicate", "UnknownFlat", "AmountMismatch", "Unreadable", "Ok"], Statuses(preview));
        Assert.Equal([5, 6, 7, 8, 9, 10],
            preview.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("row").GetInt32()));
        Assert.Contains("prepayment", preview.GetProperty("lines")[5].GetProperty("detail").GetString());
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task ApplyingRecordsTheGoodRowsWithReceiptsAndTheSameFileTwiceChangesNothing()
    {
        var staff = await StaffClient.SignInAsync(_app, "service");
        var (owing, oldest) = Owing();
        var before = Snapshot();
        var csv = Statement();
        var applied = await ImportAsync(staff, csv, apply: true);
        Assert.Equal(2, applied.GetProperty("accepted").GetInt32());
        Assert.Equal(oldest + 100, applied.GetProperty("acceptedAmount").GetDecimal());
        Assert.Equal(["SK-20261115-0001", "SK-20261115-0002"], applied.GetProperty("lines").EnumerateArray()
            .Where(l => l.GetProperty("status").GetString() == "Ok")
            .Select(l => l.GetProperty("receiptNumber").GetString()));
        var after = Snapshot();
        // The owing flat's oldest bill is paid; the settled flat's 100 is prepayment, in no bill.
        Assert.Equal((before.Payments + 2, before.Paid + oldest), after);
        Assert.Equal(100m, Db.Payments.FindById("wechat:4200000005").Prepaid);
        Assert.Equal(owing, Db.Units.FindById(Db.Payments.FindById("wechat:4200000001").UnitId).Label);

        var again = await ImportAsync(staff, csv, apply: true);
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(
            ["Duplicate", "Duplicate", "UnknownFlat", "AmountMismatch", "Unreadable", "Duplicate"], Statuses(again));
        Assert.Equal(after, Snapshot());
        Assert.Single(Db.AuditLog.Find(e => e.Action == "payments.import" && e.Detail!.StartsWith("2 of 6")));
    }

    [Fact]
    public async Task TheCounterGivesNumberedReceiptsAndAMonthMustMatchToTheFen()
    {
        var staff = await StaffClient.SignInAsync(_app, "service");
        var (owing, oldest) = Owing();
        var first = await staff.PostAsJsonAsync(Payments, new { flat = owing, amount = oldest, method = "Cash" }, Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var second = await staff.PostAsJsonAsync(Payments, new { flat = SettledFlat(), amount = 10.5m }, Ct);
        var numbers = new List<string>();
        foreach (var response in new[] { first, second })
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            numbers.Add(body.GetProperty("receiptNumber").GetString()!);
        }
        Assert.Matches(@"^SK-\d{8}-0001$", numbers[0]);
        Assert.Equal(numbers[0][..^4] + "0002", numbers[1]);

        async Task<HttpStatusCode> Post(HttpClient client, object payment) =>
            (await client.PostAsJsonAsync(Payments, payment, Ct)).StatusCode;
        Assert.Equal(HttpStatusCode.BadRequest,
            await Post(staff, new { flat = SettledFlat(), amount = 1m, month = "2026-10" }));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(staff, new { flat = "99栋999", amount = 1m }));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(staff, new { flat = owing, amount = -5m }));
        var paypal = await staff.PostAsync($"{Payments}/import?source=paypal", new StringContent("x"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, paypal.StatusCode);

        var resident = await ResidentWeb.SignInAsync(_app, "3栋502");
        Assert.Equal(HttpStatusCode.Forbidden, await Post(resident, new { flat = owing, amount = 1m }));
        Assert.Equal(HttpStatusCode.Unauthorized, await Post(_app.CreateClient(), new { flat = owing, amount = 1m }));
    }
}
