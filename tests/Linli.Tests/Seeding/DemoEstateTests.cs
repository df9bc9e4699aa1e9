using Linli.Calendar;
using Linli.Fees;
using Linli.People;
using Linli.Seeding;

namespace Linli.Tests.Seeding;

/// <summary>The demo estate looks like a real Quanzhou community to the people who try Linli.</summary>
public class DemoEstateTests
{
    private static readonly DemoDataSet Estate = DemoCommunity.Generate(20260301, new Period(2026, 10));

    [Fact]
    public void HasAboutThreeHundredFlatsWithAreas()
    {
        Assert.InRange(Estate.Units.Count, 280, 320);
        Assert.All(Estate.Units, u => Assert.InRange(u.Area, 60m, 180m));
        Assert.Equal(Estate.Units.Count, Estate.Units.Select(u => u.Label).Distinct().Count());
        Assert.Contains(Estate.Units, u => u.Label == "3栋502");
    }

    [Fact]
    public void EveryFlatHasExactlyOneOwnerAndSomeAreLet()
    {
        var owners = Estate.People.SelectMany(p => p.Units.Where(b => b.Relation == UnitRelation.Owner))
            .ToLookup(b => b.UnitId);
        Assert.All(Estate.Units, u => Assert.Single(owners[u.Id]));

        var let = Estate.People.SelectMany(p => p.Units).Count(b => b.Relation == UnitRelation.Tenant);
        Assert.InRange(let, Estate.Units.Count / 12, Estate.Units.Count / 4);
        Assert.Contains(Estate.People, p => p.Units.Any(b => b.Relation == UnitRelation.CoOwner));
        Assert.Contains(Estate.People,
            p => !p.IsOrganization && p.Units.Count(b => b.Relation == UnitRelation.Owner) >= 2);
        Assert.Single(Estate.People, p => p.IsOrganization && p.Units.Count >= 2);
    }

    [Fact]
    public void HasStaffVolunteersAMediatorAndAnAdmin()
    {
        Assert.InRange(Estate.People.Count(p => p.Has(Role.Staff)), 3, 10);
        Assert.Contains(Estate.People, p => p.Title == "安全员");
        Assert.InRange(Estate.People.Count(p => p.Has(Role.Volunteer)), 2, 5);
        Assert.Single(Estate.People, p => p.Has(Role.Mediator));
        Assert.Single(Estate.People, p => p.Has(Role.Admin));
        Assert.Equal(Estate.People.Count, Estate.People.Select(p => p.Phone).Distinct().Count());
    }

    [Fact]
    public void BillsFollowAreaTimesRate()
    {
        var unit = Estate.Units[17];
        var fee = Estate.Bills.First(b => b.UnitId == unit.Id && b.Kind == BillKind.PropertyFee);
        var areaTimesRate = unit.Area * Estate.Community.PropertyFeeRate;
        Assert.Equal(decimal.Round(areaTimesRate, 2, MidpointRounding.AwayFromZero), fee.AmountDue);
        Assert.Equal(24, Estate.Bills.Count(b => b.UnitId == unit.Id && b.Kind == BillKind.PropertyFee));
        Assert.Equal(Estate.Units.Count(u => u.HasParkingSpace) * 24,
            Estate.Bills.Count(b => b.Kind == BillKind.Parking));
    }

    [Theory]
    [InlineData(20260301)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(99)]
    public void CollectionRateIsPlausibleWithAFewLongTermDebtors(int seed)
    {
        var estate = DemoCommunity.Generate(seed, new Period(2026, 10));
        var rate = estate.Bills.Sum(b => b.AmountPaid) / estate.Bills.Sum(b => b.AmountDue);
        Assert.InRange(rate, 0.85m, 0.95m);

        var monthsOwed = estate.Bills.Where(b => b.Kind == BillKind.PropertyFee && !b.IsSettled)
            .GroupBy(b => b.UnitId).Select(g => g.Count()).ToList();
        // "A few": long-term debtors are there to be found, but stay under a tenth of the flats.
        var longTermDebtors = monthsOwed.Count(n => n >= 6);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"seed {seed}: rate {rate:P1}, {longTermDebtors} long-term debtors");
        Assert.InRange(longTermDebtors, 3, estate.Units.Count / 10);
    }

    [Fact]
    public void PaymentsSettleExactlyThePaidBills()
    {
        var paidByLines = Estate.Payments.SelectMany(p => p.Lines).GroupBy(l => l.BillId)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Amount));
        Assert.All(Estate.Bills, b => Assert.Equal(b.AmountPaid, paidByLines.GetValueOrDefault(b.Id)));
        var novemberInChina = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        Assert.All(Estate.Payments, p => Assert.True(p.PaidAt < novemberInChina));
    }
}
