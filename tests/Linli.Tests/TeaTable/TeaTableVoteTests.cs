using System.Net;
using System.Text.Json;
using Linli.People;
using Linli.Residents;
using Linli.TeaTable;
using Linli.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.TeaTable;

/// <summary>Owners vote on proposals, one stance each; the committee sees who voted what; deadlines lock.</summary>
public sealed class TeaTableVoteTests : TeaTableHttpTest
{
    [Fact]
    public async Task AnOwnerOfTwoFlatsHasOneStanceWhicheverFlatTheySignedInFor()
    {
        var owner = Db.People.FindAll().First(p => !p.IsOrganization && p.CommunityId == "citong"
            && p.Units.Count(b => b.Relation == UnitRelation.Owner) >= 2);
        var flats = owner.Units.Where(b => b.Relation == UnitRelation.Owner).Take(2)
            .Select(b => Db.Units.FindById(b.UnitId)).ToList();
        async Task<HttpClient> AsOwnerOf(Linli.Communities.Unit unit)
        {
            var link = App.Services.GetRequiredService<Linli.Accounts.ResidentLinks>().Create(
                new Linli.Residents.ResidentBinding
                {
                    Id = "web-test|" + unit.Id, CommunityId = "citong", UnitId = unit.Id, PersonId = owner.Id,
                    BoundAt = Clock.GetUtcNow(),
                });
            var http = App.CreateClient(
                new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
            Assert.Equal(HttpStatusCode.Redirect, (await ResidentWeb.FollowAsync(http, link)).StatusCode);
            return http;
        }
        var first = await AsOwnerOf(flats[0]);
        var second = await AsOwnerOf(flats[1]);
        var thread = await StartThreadAsync(first, "小区大门改造", "全体业主表决");
        var proposal = new { text = "改造大门", matter = "Other", deadline = Clock.GetUtcNow().AddDays(2) };
        await Json(await PutJson(first, $"threads/{thread}/proposal", proposal), HttpStatusCode.OK);

        await Json(await PutJson(first, $"threads/{thread}/vote", new { stance = "agree" }), HttpStatusCode.OK);
        var voted = await Json(await PutJson(second, $"threads/{thread}/vote", new { stance = "disagree" }),
            HttpStatusCode.OK);
        var tally = voted.GetProperty("vote").GetProperty("tally");
        // One person: counted once, on the side they took last, with the area of both flats.
        Assert.Equal(0, tally.GetProperty("agree").GetProperty("owners").GetInt32());
        Assert.Equal(1, tally.GetProperty("disagree").GetProperty("owners").GetInt32());
        Assert.Equal(1, tally.GetProperty("participating").GetProperty("owners").GetInt32());
        Assert.Equal(flats.Sum(f => f.Area), tally.GetProperty("disagree").GetProperty("area").GetDecimal());
    }

    [Fact]
    public async Task OwnersVoteTheCommitteeSeesWhoVotedWhatAndTheDeadlineLocksIt()
    {
        var owner = await ResidentWeb.SignInAsync(App, "2栋201");
        var renter = Db.People.FindAll().First(p => p.Units.Any(b => b.Relation == UnitRelation.Tenant));
        var rented = Db.Units.FindById(renter.Units.First(b => b.Relation == UnitRelation.Tenant).UnitId)!;
        var tenant = await ResidentWeb.SignInAsync(App, rented.Label, UnitRelation.Tenant);
        var thread = await StartThreadAsync(owner,
            "2栋电梯加装扶手", "用公维金给2栋电梯加扶手。", building: 2);
        var nonsense = new { text = "动用公维金", matter = "Nonsense", deadline = Clock.GetUtcNow().AddDays(2) };
        await Problem(await PutJson(owner, $"threads/{thread}/proposal", nonsense), HttpStatusCode.BadRequest);
        var proposal = new
        {
            text = "动用公维金 1.2 万元给 2 栋电梯加装扶手", matter = "UseFund",
            deadline = Clock.GetUtcNow().AddHours(3),
        };
        var proposed = await Json(await PutJson(owner, $"threads/{thread}/proposal", proposal), HttpStatusCode.OK);
        var total = proposed.GetProperty("vote").GetProperty("tally").GetProperty("total");
        var building2 = Db.Units.Find(u => u.CommunityId == "citong" && u.BuildingNumber == 2).ToList();
        Assert.Equal(building2.Sum(u => u.Area), total.GetProperty("area").GetDecimal());

        var vote = $"threads/{thread}/vote";
        var voted = await Json(
            await PutJson(owner, vote, new { stance = "agree", reason = "老人多，需要扶手" }),
            HttpStatusCode.OK);
        var unit = Db.Units.FindOne(u => u.CommunityId == "citong" && u.BuildingNumber == 2 && u.Room == "201");
        var agree = Tally(voted).GetProperty("agree");
        Assert.Equal((unit.Area, 1), (agree.GetProperty("area").GetDecimal(), agree.GetProperty("owners").GetInt32()));
        Assert.Equal("Agree", voted.GetProperty("vote").GetProperty("myStance").GetString());
        // Changing one's mind replaces the vote: still one unit.
        voted = await Json(await PutJson(owner, vote, new { stance = "abstain" }), HttpStatusCode.OK);
        Assert.Equal(1, Tally(voted).GetProperty("participating").GetProperty("owners").GetInt32());
        Assert.Equal(0, Tally(voted).GetProperty("agree").GetProperty("owners").GetInt32());

        await Problem(await PutJson(tenant, vote, new { stance = "agree" }), HttpStatusCode.Forbidden);
        // Who voted what: the committee, not everyone.
        await Problem(await Get(owner, $"threads/{thread}/votes"), HttpStatusCode.Forbidden);
        var committee = await StaffClient.SignInAsync(App, "committee1");
        var votes = await Json(await Get(committee, $"threads/{thread}/votes"), HttpStatusCode.OK);
        var cast = Assert.Single(votes.EnumerateArray());
        Assert.Equal(
            ("2栋201", "Abstain"), (cast.GetProperty("unit").GetString(), cast.GetProperty("stance").GetString()));

        // The deadline passes: the count is final and nobody votes any more.
        Clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));
        App.Services.GetRequiredService<TeaTableTimers>().RunTimers();
        var closed = await Problem(await PutJson(owner, vote, new { stance = "agree" }), HttpStatusCode.Conflict);
        Assert.Equal("Voting has closed", closed.GetProperty("title").GetString());
        var final = (await Json(await Get(owner, $"threads/{thread}"), HttpStatusCode.OK)).GetProperty("thread");
        Assert.False(final.GetProperty("vote").GetProperty("open").GetBoolean());
        Assert.Equal("NoQuorum", Tally(final).GetProperty("outcome").GetString());
    }

    private static JsonElement Tally(JsonElement thread) => thread.GetProperty("vote").GetProperty("tally");
}
