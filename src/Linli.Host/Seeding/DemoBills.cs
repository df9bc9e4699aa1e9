using Linli.Calendar;
using Linli.Communities;
using Linli.Fees;

namespace Linli.Seeding;

/// <summary>
/// 24 months of property and parking bills with a realistic payment pattern: most owners pay in the month,
/// some pay a quarter or half a year at a time, after it ends, some skip months, and a few long-term debtors stopped paying.
/// The snapshot is taken at the start of the month after <c>lastPeriod</c>: later payments have not happened.
/// </summary>
internal static class DemoBills
{
    public const int Months = 24;

    private enum Payer { Punctual, Quarterly, HalfYearly, Irregular, Debtor, Developer }

    public static (List<Bill> Bills, List<Payment> Payments) Generate(
        Random rng, Community community, IReadOnlyList<Unit> units, IReadOnlySet<string> developerUnits, Period lastPeriod)
    {
        var first = lastPeriod.AddMonths(1 - Months);
        var asOf = new DateTimeOffset(lastPeriod.AddMonths(1).FirstDay.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        var bills = new List<Bill>();
        var payments = new List<Payment>();

        foreach (var unit in units)
        {
            var payer = developerUnits.Contains(unit.Id) ? Payer.Developer : PickPayer(rng);
            var stopPaying = lastPeriod.AddMonths(-rng.Next(7, 21));
            var paidOn = new Dictionary<DateTimeOffset, List<Bill>>();

            for (var period = first; period <= lastPeriod; period = period.AddMonths(1))
            {
                var payAt = PaymentTime(rng, payer, period, stopPaying);
                var paid = payAt is { } t && t < asOf;
                foreach (var (kind, amount) in Charges(community, unit))
                {
                    var bill = new Bill
                    {
                        Id = Bill.IdFor(unit.Id, period, kind),
                        CommunityId = unit.CommunityId, BuildingId = unit.BuildingId, UnitId = unit.Id,
                        Period = period, Kind = kind, AmountDue = amount, AmountPaid = paid ? amount : 0m,
                        DueDate = period.LastDay,
                    };
                    bills.Add(bill);
                    if (paid)
                    {
                        if (!paidOn.TryGetValue(payAt!.Value, out var batch)) paidOn[payAt.Value] = batch = [];
                        batch.Add(bill);
                    }
                }
            }

            foreach (var (at, batch) in paidOn.OrderBy(kv => kv.Key))
                payments.Add(new Payment
                {
                    Id = $"{unit.CommunityId}-pay{payments.Count + 1:D6}",
                    CommunityId = unit.CommunityId, UnitId = unit.Id, PaidAt = at, Method = PickMethod(rng),
                    Lines = batch.Select(b => new PaymentLine(b.Id, b.AmountDue)).ToList(),
                });
        }
        return (bills, payments);
    }

    private static IEnumerable<(BillKind, decimal)> Charges(Community community, Unit unit)
    {
        yield return (BillKind.PropertyFee, decimal.Round(unit.Area * community.PropertyFeeRate, 2, MidpointRounding.AwayFromZero));
        if (unit.HasParkingSpace) yield return (BillKind.Parking, community.ParkingFee);
    }

    private static Payer PickPayer(Random rng) => rng.NextDouble() switch
    {
        < 0.60 => Payer.Punctual,
        < 0.75 => Payer.Quarterly,
        < 0.84 => Payer.HalfYearly,
        < 0.95 => Payer.Irregular,
        _ => Payer.Debtor,
    };

    /// <summary>When this month's bills get paid, or null if never.</summary>
    private static DateTimeOffset? PaymentTime(Random rng, Payer payer, Period period, Period stopPaying)
    {
        // Draw the same numbers whatever the branch, so one unit's profile does not shift the next unit's data.
        var day = rng.Next(1, 29);
        var hour = rng.Next(8, 22);
        var skip = rng.NextDouble() < 0.15;
        var slip = rng.Next(0, 2);

        var payPeriod = payer switch
        {
            Payer.Punctual => period,
            // Pays the quarter's (or half-year's) bills together in the month after it ends.
            Payer.Quarterly => period.AddMonths(3 - (period.Month - 1) % 3),
            Payer.HalfYearly => period.AddMonths(6 - (period.Month - 1) % 6),
            Payer.Irregular when skip => (Period?)null,
            Payer.Irregular => period.AddMonths(slip),
            Payer.Debtor when period >= stopPaying => null,
            Payer.Debtor => period,
            Payer.Developer => period.AddMonths(3 - (period.Month - 1) % 3),
            _ => null,
        };
        if (payPeriod is not { } p) return null;
        // Batched payments share one time so they become one payment.
        if (payer is Payer.Quarterly or Payer.HalfYearly or Payer.Developer) (day, hour) = (10, 10);
        return new DateTimeOffset(p.FirstDay.AddDays(day - 1).ToDateTime(new TimeOnly(hour, 0)), ChinaTime.Offset);
    }

    private static PaymentMethod PickMethod(Random rng) => rng.NextDouble() switch
    {
        < 0.55 => PaymentMethod.WeChatPay,
        < 0.80 => PaymentMethod.Alipay,
        < 0.90 => PaymentMethod.BankTransfer,
        _ => PaymentMethod.Cash,
    };
}
