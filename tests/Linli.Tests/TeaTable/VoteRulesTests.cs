using Linli.Communities;
using Linli.People;
using Linli.TeaTable;

namespace Linli.Tests.TeaTable;

/// <summary>Civil Code art. 278's double majority, with the SPC's headcount rules, as tables.</summary>
public sealed class VoteRulesTests
{
    private static Unit U(string id, decimal area) => new()
    {
        Id = id, CommunityId = "c", BuildingId = "b1", BuildingNumber = 1, Floor = 1, Room = id, Area = area,
    };

    private static Person P(string id, bool organization = false) =>
        new() { Id = id, CommunityId = "c", Name = id, Phone = "", IsOrganization = organization };

    /// <summary>Units of equal area, each with its own owner.</summary>
    private static List<Voter> Equal(int count, decimal area = 100) =>
        Enumerable.Range(1, count).Select(i => new Voter($"u{i}", area, $"p{i}")).ToList();

    /// <summary>The units that agree and the units that disagree.</summary>
    private static Dictionary<string, Stance> Split(string[] agree, string[] disagree) =>
        agree.Select(u => (Unit: u, Stance: Stance.Agree))
            .Concat(disagree.Select(u => (Unit: u, Stance: Stance.Disagree)))
            .ToDictionary(v => v.Unit, v => v.Stance);

    private static Dictionary<string, Stance> First(int agree, int disagree = 0, int abstain = 0) =>
        Enumerable.Range(1, agree + disagree + abstain).ToDictionary(i => $"u{i}",
            i => i <= agree ? Stance.Agree : i <= agree + disagree ? Stance.Disagree : Stance.Abstain);

    [Theory]
    // 9 owners of 100 m² each: 2/3 is 6 owners and 600 m².
    [InlineData(5, 0, 0, Outcome.NoQuorum)]    // just below 2/3 by both
    [InlineData(6, 0, 0, Outcome.Passed)]      // exactly 2/3 takes part: enough
    [InlineData(4, 1, 1, Outcome.Passed)]      // abstaining counts as taking part; 4 of 6 agree
    [InlineData(3, 3, 0, Outcome.Rejected)]    // ordinary matter: exactly half is not more than half
    [InlineData(4, 2, 0, Outcome.Passed)]
    public void ParticipationAndAnOrdinaryMajority(int agree, int disagree, int abstain, Outcome expected) =>
        Assert.Equal(expected, VoteRules.Count(Matter.UseFund, Equal(9), First(agree, disagree, abstain)).Outcome);

    [Theory]
    // 8 of 8 take part; special matters need ≥ 3/4 of those taking part: 6 of 8.
    [InlineData(Matter.RaiseFund, 6, Outcome.Passed)]        // exactly 3/4
    [InlineData(Matter.RaiseFund, 5, Outcome.Rejected)]      // just below
    [InlineData(Matter.Rebuild, 6, Outcome.Passed)]
    [InlineData(Matter.CommonPartsUse, 5, Outcome.Rejected)]
    [InlineData(Matter.UseFund, 5, Outcome.Passed)]          // the same 5 of 8 carry an ordinary matter
    [InlineData(Matter.PropertyCompany, 4, Outcome.Rejected)] // 4 of 8 is not more than half
    [InlineData(Matter.ElectCommittee, 5, Outcome.Passed)]
    [InlineData(Matter.HouseRules, 5, Outcome.Passed)]
    public void SpecialMattersNeedThreeQuarters(Matter matter, int agree, Outcome expected) =>
        Assert.Equal(expected, VoteRules.Count(matter, Equal(8), First(agree, 8 - agree)).Outcome);

    [Fact]
    public void ParticipationIsCheckedByAreaAndByHeadcountSeparately()
    {
        // One 300 m² flat and nine of 100 m²: 1,200 m², 10 owners; 2/3 is 800 m² and 6.67 owners.
        var electorate = new List<Voter> { new("big", 300, "pb") };
        electorate.AddRange(Equal(9));
        // The big flat and five small ones: 800 m² (enough) but 6 owners (not enough).
        var byArea = Split(["big", "u1", "u2", "u3", "u4", "u5"], []);
        var tally = VoteRules.Count(Matter.Other, electorate, byArea);
        Assert.Equal(
            (800m, 6, Outcome.NoQuorum), (tally.Participating.Area, tally.Participating.Owners, tally.Outcome));
        // Seven small ones: 7 owners (enough) but 700 m² (not enough).
        Assert.Equal(Outcome.NoQuorum, VoteRules.Count(Matter.Other, electorate, First(7)).Outcome);
        // Seven small ones and the big flat: both enough.
        var both = First(7);
        both["big"] = Stance.Agree;
        Assert.Equal(Outcome.Passed, VoteRules.Count(Matter.Other, electorate, both).Outcome);
    }

    [Fact]
    public void TheMajorityIsCheckedByAreaAndByHeadcountSeparately()
    {
        // Everyone takes part. One 500 m² flat and five of 100 m²: 1,000 m², 6 owners.
        var electorate = new List<Voter> { new("big", 500, "pb") };
        electorate.AddRange(Equal(5));
        // Only the big flat agrees: 50% of area (not more than half) and 1 of 6 owners.
        var bigAlone = Split(["big"], ["u1", "u2", "u3", "u4", "u5"]);
        Assert.Equal(Outcome.Rejected, VoteRules.Count(Matter.UseFund, electorate, bigAlone).Outcome);
        // The five small flats agree: 5 of 6 owners (more than half) but 500 of 1,000 m² (not more than half).
        var smallOnes = Split(["u1", "u2", "u3", "u4", "u5"], ["big"]);
        var tally = VoteRules.Count(Matter.UseFund, electorate, smallOnes);
        Assert.Equal((500m, 5, Outcome.Rejected), (tally.Agree.Area, tally.Agree.Owners, tally.Outcome));
        // The big flat and one small one: 600 m² (more than half) but 2 of 6 owners (not).
        var bigAndOne = Split(["big", "u1"], ["u2", "u3", "u4", "u5"]);
        Assert.Equal(Outcome.Rejected, VoteRules.Count(Matter.UseFund, electorate, bigAndOne).Outcome);
        // A special matter: 3/4 of the area without 3/4 of the owners fails, and the other way round.
        var special = new List<Voter> { new("big", 900, "pb") };
        special.AddRange(Equal(3));   // 1,200 m², 4 owners
        // Exactly 3/4 of the area, 1 of 4 owners.
        var bigYes = Split(["big"], ["u1", "u2", "u3"]);
        Assert.Equal(Outcome.Rejected, VoteRules.Count(Matter.RaiseFund, special, bigYes).Outcome);
        // Exactly 3/4 of the owners, 1/4 of the area.
        var threeSmallYes = Split(["u1", "u2", "u3"], ["big"]);
        Assert.Equal(Outcome.Rejected, VoteRules.Count(Matter.RaiseFund, special, threeSmallYes).Outcome);
        // 1,100 of 1,200 m², 3 of 4 owners.
        var all = Split(["big", "u1", "u2"], ["u3"]);
        Assert.Equal(Outcome.Passed, VoteRules.Count(Matter.RaiseFund, special, all).Outcome);
    }

    [Fact]
    public void AUnitWithTwoOwnersIsOneOwnerAndOneVote()
    {
        var (a, b) = (P("alice"), P("bob"));
        var electorate = VoteRules.Electorate(
            [(U("u1", 90), [a, b]), (U("u2", 90), [P("carol")]), (U("u3", 90), [P("dan")])]);
        var tally = VoteRules.Count(Matter.HouseRules, electorate, Split(["u1", "u2"], []));
        Assert.Equal(new Count(270, 3), tally.Total);
        Assert.Equal(new Count(180, 2), tally.Participating);   // 2 of 3 owners, 2/3 of the area: quorum exactly
        Assert.Equal(Outcome.Passed, tally.Outcome);
        Assert.Equal(VoteRules.OwnerKey("u1", [a, b]), VoteRules.OwnerKey("u1", [b, a]));
    }

    [Fact]
    public void OneOwnerOfThreeUnitsCountsOnceByHeadcountAndThreeTimesByArea()
    {
        var landlord = P("landlord");
        var electorate = VoteRules.Electorate([
            (U("u1", 80), [landlord]), (U("u2", 80), [landlord]), (U("u3", 80), [landlord]),
            (U("u4", 80), [P("p4")]), (U("u5", 80), [P("p5")]),
        ]);
        Assert.Equal(new Count(400, 3), VoteRules.Count(Matter.Other, electorate, Split([], [])).Total);
        // The landlord's three flats agree: 240 m² (60% of area) but one owner of three: no quorum by headcount.
        var landlordOnly = VoteRules.Count(Matter.Other, electorate, Split(["u1", "u2", "u3"], []));
        Assert.Equal((new Count(240, 1), Outcome.NoQuorum), (landlordOnly.Agree, landlordOnly.Outcome));
        // With one neighbour agreeing too: 320 m², 2 of 3 owners: quorum and majority both ways.
        var withNeighbour = VoteRules.Count(Matter.Other, electorate, Split(["u1", "u2", "u3", "u4"], []));
        Assert.Equal((new Count(320, 2), Outcome.Passed), (withNeighbour.Agree, withNeighbour.Outcome));
    }

    [Fact]
    public void TheDevelopersUnsoldUnitsCountOnceTogether()
    {
        var developer = P("developer", organization: true);
        var electorate = VoteRules.Electorate([
            (U("u1", 100), [developer]), (U("u2", 100), [developer]),
            (U("u3", 100), [developer]), (U("u4", 100), [developer]),
            (U("u5", 100), [P("p5")]), (U("u6", 100), [P("p6")]),
        ]);
        var total = VoteRules.Count(Matter.Other, electorate, Split([], [])).Total;
        Assert.Equal(new Count(600, 3), total);   // the developer is one owner, with all 400 m²
        // The two owners who bought agree, the developer disagrees: 2 of 3 owners but 200 of 600 m²: rejected.
        var tally = VoteRules.Count(Matter.Other, electorate, Split(["u5", "u6"], ["u1", "u2", "u3", "u4"]));
        Assert.Equal((new Count(200, 2), Outcome.Rejected), (tally.Agree, tally.Outcome));
    }
}
