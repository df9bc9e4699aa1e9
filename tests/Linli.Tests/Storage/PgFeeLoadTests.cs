using Linli.Calendar;
using Linli.Fees;
using Linli.Storage.Postgres;
using Linli.Tests.Storage.Contracts;
using Linli.Tests.Support;

namespace Linli.Tests.Storage;

/// <summary>
/// Bills and payments loaded in bulk into PostgreSQL (a billing run, the demo's seed): the running totals it builds
/// in SQL are the ones <see cref="FeeTotalsBook.Build"/> adds up, and a load retried adds nothing.
/// </summary>
public sealed class PgFeeLoadTests : IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    private static Payment Paid(string id, string unitId, DateTimeOffset at, decimal prepaid,
        params PaymentLine[] lines) => new()
        {
            Id = id, CommunityId = unitId.Split('-')[0], UnitId = unitId, PaidAt = at, Method = PaymentMethod.Cash,
            Lines = [.. lines], Prepaid = prepaid, Source = "seed",
        };

    private static string BuildingOf(string unitId) => string.Join('-', unitId.Split('-')[..2]);

    [Fact]
    public void TheTotalsBuiltFromLoadedBillsAndPaymentsAreWhatTheBookAddsUp()
    {
        var store = new PgFeeStore(_postgres.Db);
        var bills = Billing.TwoCommunities();
        var september = Billing.September;
        List<Payment> payments =
        [
            // September paid in September, to the fen.
            Paid("seed:1", "north-1-0101", new(2026, 9, 20, 9, 0, 0, ChinaTime.Offset), 0,
                new PaymentLine(Bill.IdFor("north-1-0101", september, BillKind.PropertyFee), 300.00m)),
            // 1 November 01:00 in China (31 October in UTC): September's bill recovered in November, with 8.88 ahead.
            Paid("seed:2", "north-2-0201", new(2026, 10, 31, 17, 0, 0, TimeSpan.Zero), 8.88m,
                new PaymentLine(Bill.IdFor("north-2-0201", september, BillKind.PropertyFee), 256.37m)),
            // October's part, paid in October; and one paid ahead only.
            Paid("seed:3", "north-2-0201", new(2026, 10, 5, 9, 0, 0, ChinaTime.Offset), 0,
                new PaymentLine(Bill.IdFor("north-2-0201", Billing.October, BillKind.PropertyFee), 100.01m)),
            Paid("seed:4", "south-1-0101", new(2026, 12, 1, 9, 0, 0, ChinaTime.Offset), 50m),
        ];

        Assert.Equal(bills.Count, store.Load(bills, payments));
        var version = store.TotalsVersion("north");
        // A retried load: nothing is billed or paid twice, and the totals are built the same.
        Assert.Equal(0, store.Load(bills, payments));

        foreach (var community in new[] { "north", "south" })
        {
            var (expected, _) = FeeTotalsBook.Build(community, bills.Where(b => b.CommunityId == community),
                payments.Where(p => p.CommunityId == community), BuildingOf);
            Assert.Equal(expected.OrderBy(t => t.Id), store.Totals(community).OrderBy(t => t.Id));
        }
        var november = store.Totals("north").Single(t => t.Id == "north/2026-11/north-2");
        Assert.Equal((256.37m, 8.88m), (november.Recovered, november.Prepaid));
        Assert.True(store.TotalsVersion("north") > version);
        var south = new PgPaymentStore(_postgres.Db).LatestFor("south", "south-1-0101", 9);
        Assert.Equal("seed:4", Assert.Single(south).Id);
    }

    public void Dispose() => _postgres.Dispose();
}
