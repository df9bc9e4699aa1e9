using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.People;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Tickets;

/// <summary>
/// Hazards to the safety officer, mediation to the mediator; tickets nobody starts passed on, and breaches paging the
/// assignee and the manager.
/// </summary>
public sealed class RoutingAndServiceLevelTests : TicketAppTests
{
    [Fact]
    public async Task AnUnstartedTicketIsPassedOnAndBreachesPageTheAssigneeAndTheManager()
    {
        var manager = await StaffClient.SignInAsync(App, "manager");
        var onDuty = new { personIds = new[] { PersonOf("repair1"), PersonOf("repair2") } };
        await manager.PutAsJsonAsync("/api/communities/citong/duty-roster", onDuty, Ct);
        var chat = await ResidentChat.StartAsync(App);
        async Task<string> Report(string description)
        {
            foreach (var line in new[] { "报修", "公共区域", "6栋门口", "门禁", description, "上午" })
                await chat.SayAsync(line);
            var said = await chat.SayAsync("对");
            await chat.SayAsync("跳过");
            return RepairNumber(said);
        }
        var waiting = await Report("门禁坏了");
        var claimed = await Report("门禁不能刷卡");
        var repair1 = await StaffClient.SignInAsync(App, "repair1");
        Assert.Equal(HttpStatusCode.OK,
            (await repair1.PostAsync($"/api/tickets/{claimed}/claim", null, Ct)).StatusCode);
        const string location = "3栋一楼消防栓";
        foreach (var line in new[] { "隐患上报", "消防栓没水", location, "暂时没有", "对", "跳过" })
            await chat.SayAsync(line);
        var hazard = Db.Tickets.FindOne(t => t.Kind == "hazard_report").Number;

        // Half an hour with nobody starting it: the next person on duty gets it. The hazard stays with the safety
        // officer.
        Clock.Advance(TimeSpan.FromMinutes(31));
        await Eventually(() => Tickets.Find(claimed)!.AssigneeId == PersonOf("repair2"), "passed to repair2");
        Assert.Equal("reassigned: no response", Tickets.Find(claimed)!.History.Last().Note);
        Assert.Equal(PersonOf("safety"), Tickets.Find(hazard)!.AssigneeId);
        Assert.Empty(Pager.Other);

        // Four hours and nobody answered the other one: breached once, the manager paged.
        Clock.Advance(TimeSpan.FromHours(4));
        await Eventually(() => Tickets.Find(waiting)!.RespondBreachedAt is not null, "respond breach marked");
        Assert.Equal((waiting, PersonOf("manager"), "respond_breached"), Assert.Single(Pager.Other));
        // A minute on, a round of the service-level timer (run here) marks nothing twice.
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Levels.CheckServiceLevelsAsync(Ct);
        Assert.Single(Pager.Other);

        // Three days unresolved: both breach resolution; assignee and manager hear of the claimed one.
        Clock.Advance(TimeSpan.FromDays(3));
        await Eventually(() => Tickets.Find(claimed)!.ResolveBreachedAt is not null, "resolve breach marked");
        var office = await StaffClient.SignInAsync(App, "manager");
        var staffList = await office.GetFromJsonAsync<JsonElement>("/api/communities/citong/tickets", Ct);
        var repairs = staffList.EnumerateArray().Where(t => t.GetProperty("kind").GetString() == "repair_request");
        Assert.All(repairs, t => Assert.True(t.GetProperty("breached").GetBoolean()));
        Assert.Equal(PersonOf("safety"), Tickets.Find(hazard)!.AssigneeId);
        // (Still unstarted, it keeps being passed on between the two on duty; whoever had it at the breach is paged.)
        Assert.Contains(Pager.Other, p => p == (claimed, PersonOf("repair1"), "resolve_breached")
                                           || p == (claimed, PersonOf("repair2"), "resolve_breached"));
        Assert.Contains((claimed, PersonOf("manager"), "resolve_breached"), Pager.Other);
    }

    [Fact]
    public async Task AHazardWithSomeoneInDangerPagesTheSafetyOfficer()
    {
        var chat = await ResidentChat.StartAsync(App);
        const string location = "5栋东侧外墙，下面是儿童游乐场";
        foreach (var line in new[] { "隐患上报", "外墙瓷砖松动", location, "暂时没有", "对", "跳过" })
            await chat.SayAsync(line);
        Assert.Empty(Pager.Pages);
        foreach (var line in new[] { "隐患上报", "井盖缺失", "东门旁边", "有危险" })
            await chat.SayAsync(line);
        Assert.Contains("已上报隐患", (await chat.SayAsync("对"))[0]);
        await chat.SayAsync("跳过");
        var (number, person) = Assert.Single(Pager.Pages);
        Assert.Equal(PersonOf("safety"), person);
        var hazard = Tickets.Find(number)!;
        Assert.Equal(("manhole", "urgent", person), (hazard.Category, hazard.Urgency, hazard.AssigneeId));
    }

    [Fact]
    public async Task AComplaintAboutANeighbourOffersMediationWhichGoesToTheMediator()
    {
        var chat = await ResidentChat.StartAsync(App);
        chat.BindTo(App.Services, "3栋502");
        foreach (var line in new[] { "投诉", "噪音", "3栋602", "楼上每天半夜拖椅子" })
            await chat.SayAsync(line);
        var said = await chat.SayAsync("是");
        Assert.Contains("已登记投诉，单号 TS-", said[0]);
        Assert.Contains("拍几张照片", said[1]);
        said = await chat.SayAsync("没有照片");
        Assert.Contains("要申请调解吗？", said[1]);
        said = await chat.SayAsync("是");
        var mediationNumber = System.Text.RegularExpressions.Regex.Match(said.Single(), @"TJ-\d{8}-\d{4}").Value;

        var complaint = Db.Tickets.FindOne(t => t.Kind == "complaint");
        Assert.Equal(("noise", "3栋602"), (complaint.Category, complaint.Location));
        Assert.Equal("yes", complaint.Answers["anonymous"]);
        var mediation = Tickets.Find(mediationNumber)!;
        Assert.Equal(complaint.Number, mediation.Answers["complaint"]);
        Assert.True(Db.People.FindById(mediation.AssigneeId).Has(Role.Mediator));
        Assert.Equal(TicketStatus.Assigned, mediation.Status);
    }
}
