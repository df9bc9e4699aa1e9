using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Fees;
using Linli.People;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Tickets;

/// <summary>
/// Emergencies paged and escalated, ratings after resolution, notices and arrears reminders: resident and staff
/// together. Routing and service levels: <see cref="RoutingAndServiceLevelTests"/>.
/// </summary>
public sealed class ResidentServicesTests : TicketAppTests
{
    [Fact]
    public async Task AnEmergencyPagesTheRosterAtOnceAndEscalatesWhenNobodyAcknowledgesInAMinute()
    {
        var staff = await StaffClient.SignInAsync(App, "manager");
        string[] roster = [PersonOf("service"), PersonOf("repair1"), PersonOf("safety")];
        var set = await staff.PutAsJsonAsync("/api/communities/citong/duty-roster", new { personIds = roster }, Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var chat = await ResidentChat.StartAsync(App);
        var said = await chat.SayAsync("着火了！");
        // What to do now comes first, and the page has already gone out, before any question.
        Assert.StartsWith("请先保证安全！着火请打119", said[0]);
        Assert.Contains("在哪里？", said[1]);
        var (number, first) = Assert.Single(Pager.Pages);
        Assert.Equal(roster[0], first);

        said = await chat.SayAsync("5栋3楼楼道");
        Assert.Contains($"单号 {number}", said.Single());
        Assert.Equal("5栋3楼楼道", Tickets.Find(number)!.Location);

        // 59 seconds: still waiting on the first person (a round of the escalation timer, run here, pages nobody).
        Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, Levels.EscalateUnacknowledged());
        Assert.Single(Pager.Pages);
        // Past a minute: the next person on the roster is paged.
        Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually(() => Pager.Pages.Count == 2, "the second person on duty is paged after a minute");
        Assert.Equal(roster[1], Pager.Pages.Last().PersonId);
        var ladder = Tickets.Find(number)!.Ladder!;
        Assert.Equal(TimeSpan.FromSeconds(61), ladder.Pages[1].At - ladder.Pages[0].At);

        // The second one acknowledges: no more escalation, and the resident hears it.
        var responder = await StaffClient.SignInAsync(App, "repair1");
        var ack = await responder.PostAsJsonAsync($"/api/tickets/{number}/ladder", new { step = "acknowledge" }, Ct);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        await chat.WaitForAsync("值班人员已收到");
        Clock.Advance(TimeSpan.FromMinutes(2));
        await chat.SayAsync("好的");   // let a little real time pass
        Assert.Equal(2, Pager.Pages.Count);

        Clock.Advance(TimeSpan.FromSeconds(60));
        await responder.PostAsJsonAsync($"/api/tickets/{number}/ladder", new { step = "on_the_way" }, Ct);
        await chat.WaitForAsync("已出发");
        Clock.Advance(TimeSpan.FromSeconds(90));
        await responder.PostAsJsonAsync($"/api/tickets/{number}/ladder", new { step = "on_site" }, Ct);
        await chat.WaitForAsync("已到现场");

        ladder = Tickets.Find(number)!.Ladder!;
        Assert.Equal(roster[1], ladder.AcknowledgedBy);
        Assert.True(ladder.AcknowledgedAt < ladder.OnTheWayAt && ladder.OnTheWayAt < ladder.OnSiteAt);
        Assert.Equal(TimeSpan.FromSeconds(90), ladder.OnSiteAt - ladder.OnTheWayAt);
        Assert.Equal(TicketStatus.InProgress, Tickets.Find(number)!.Status);
    }

    [Fact]
    public async Task AResolvedRepairAsksForARatingAndNotFixedReopensIt()
    {
        var chat = await ResidentChat.StartAsync(App);
        chat.BindTo(App.Services, "3栋502");
        foreach (var line in new[] { "报修", "家里", "水管漏水", "卫生间地漏反水", "下午" }) await chat.SayAsync(line);
        var number = RepairNumber(await chat.SayAsync("对"));
        await chat.SayAsync("跳过");
        var ticket = Tickets.Find(number)!;
        Assert.Equal("3栋502", Db.Units.FindById(ticket.UnitId).Label);

        var staff = await StaffClient.SignInAsync(App, "repair1");
        var resolved = await staff.PatchAsJsonAsync($"/api/tickets/{number}",
            new { status = "Resolved", note = "已更换地漏" }, Ct);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var heard = await chat.WaitForAsync("这次处理得怎么样");
        Assert.Contains(heard, h => h.Contains($"单子 {number} 已处理好。") && h.Contains("已更换地漏"));

        Assert.Contains("还有什么想说的", (await chat.SayAsync("5分 很满意")).Single());
        Assert.Contains("谢谢您的评价", (await chat.SayAsync("师傅很细心")).Single());
        var rated = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Ct);
        Assert.Equal(5, rated.GetProperty("rating").GetInt32());
        Assert.Equal("师傅很细心", rated.GetProperty("ratingComment").GetString());

        // Reopened by staff and resolved again; this time it is not fixed.
        await staff.PatchAsJsonAsync($"/api/tickets/{number}", new { status = "Reopened" }, Ct);
        await staff.PatchAsJsonAsync($"/api/tickets/{number}", new { status = "Resolved" }, Ct);
        await chat.WaitForAsync("这次处理得怎么样");
        await chat.SayAsync("还没解决");
        Assert.Contains("单子已重新打开", (await chat.SayAsync("还是反水")).Single());
        Assert.Equal(TicketStatus.Reopened, Tickets.Find(number)!.Status);
    }

    [Fact]
    public async Task NoticesReachTheResidentsTheyConcernAndAreThereWhenAsked()
    {
        var building3 = await ResidentChat.StartAsync(App);
        building3.BindTo(App.Services, "3栋502");
        var building5 = await ResidentChat.StartAsync(App);
        building5.BindTo(App.Services, "5栋101");
        var unbound = await ResidentChat.StartAsync(App);
        foreach (var chat in new[] { building3, building5, unbound }) await chat.SayAsync("你好");

        var staff = await StaffClient.SignInAsync(App, "service");
        var published = await staff.PostAsJsonAsync("/api/communities/citong/notices",
            new { scope = "building", building = 3, title = "3栋停水", body = "周六 9:00–12:00 更换水泵，请提前储水。" }, Ct);
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        var notice = await published.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, notice.GetProperty("pushedTo").GetInt32());
        Assert.Contains("【通知】3栋停水", Assert.Single(await building3.HeardAsync()));
        Assert.Empty(await building5.HeardAsync());

        await staff.PostAsJsonAsync("/api/communities/citong/notices",
            new { title = "消防演练", body = "周日上午全小区消防演练。" }, Ct);
        Assert.Contains("消防演练", Assert.Single(await building5.HeardAsync()));
        Assert.Contains("消防演练", Assert.Single(await building3.HeardAsync()));

        var said = await building5.SayAsync("最近有什么通知");
        var listed = Assert.Single(said);
        Assert.Contains("消防演练", listed);
        Assert.DoesNotContain("3栋停水", listed);
        Assert.Contains("3栋停水", (await building3.SayAsync("最近有什么通知")).Single());
        var general = (await unbound.SayAsync("最近有什么通知")).Single();
        Assert.Contains("消防演练", general);
        Assert.Contains("确认房号后", general);

        var noSuchFlat = new { scope = "unit", unit = "9栋9999", title = "x", body = "y" };
        var untitled = new { title = "", body = "y" };
        foreach (var refused in new object[] { noSuchFlat, untitled })
            Assert.Equal(HttpStatusCode.BadRequest,
                (await staff.PostAsJsonAsync("/api/communities/citong/notices", refused, Ct)).StatusCode);
    }

    [Fact]
    public async Task ArrearsRemindersGoOnlyToResidentsWhoOweAndNotTooOften()
    {
        var fees = App.Services.GetRequiredService<IFeeStore>();
        var units = Db.Units.Find(u => u.CommunityId == "citong" && u.BuildingNumber == 2).ToList();
        var owners = Db.People.FindAll().SelectMany(p => p.Units).Where(b => b.Relation == UnitRelation.Owner).Select(b => b.UnitId).ToHashSet();
        var owing = units.First(u => owners.Contains(u.Id) && fees.BillsFor("citong", u.Id).Any(b => !b.IsSettled));
        var paidUp = units.First(u => owners.Contains(u.Id) && fees.BillsFor("citong", u.Id).All(b => b.IsSettled));
        var debtor = await ResidentChat.StartAsync(App);
        debtor.BindTo(App.Services, owing.Label);
        var payer = await ResidentChat.StartAsync(App);
        payer.BindTo(App.Services, paidUp.Label);
        await debtor.SayAsync("你好");
        await payer.SayAsync("你好");

        var staff = await StaffClient.SignInAsync(App, "manager");
        var report = await (await staff.PostAsync("/api/communities/citong/arrears-reminders", null, Ct)).Content.ReadFromJsonAsync<ReminderReport>(Ct);
        Assert.Equal(1, report!.Sent);
        var reminder = Assert.Single(await debtor.HeardAsync());
        var owed = fees.BillsFor("citong", owing.Id).Where(b => !b.IsSettled).Sum(b => b.Outstanding);
        Assert.Contains($"{owing.Label} 目前欠物业费 {owed:0.00} 元", reminder);
        Assert.Contains("缴费方式", reminder);
        Assert.Empty(await payer.HeardAsync());

        var stored = Db.ResidentBindings.FindById(Linli.Residents.ResidentDirectory.Key("directline", debtor.UserId));
        Assert.Equal((owing.Id, "citong"), (stored.UnitId, stored.CommunityId));
        Assert.Equal(2, Db.ResidentBindings.Find(b => b.CommunityId == "citong").Count());
        // Pressed again the next day: nobody is reminded twice in a week.
        Clock.Advance(TimeSpan.FromDays(1));
        staff = await StaffClient.SignInAsync(App, "manager");   // yesterday's sign-in has expired
        report = await (await staff.PostAsync("/api/communities/citong/arrears-reminders", null, Ct)).Content.ReadFromJsonAsync<ReminderReport>(Ct);
        Assert.Equal(new ReminderReport(0, 1, 0, 1), report);
        Clock.Advance(TimeSpan.FromDays(7));
        staff = await StaffClient.SignInAsync(App, "manager");
        report = await (await staff.PostAsync("/api/communities/citong/arrears-reminders", null, Ct)).Content.ReadFromJsonAsync<ReminderReport>(Ct);
        Assert.Equal(1, report!.Sent);
    }
}
