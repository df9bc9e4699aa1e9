using System.Net;
using System.Text.Json;
using Linli.People;
using Linli.TeaTable;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.TeaTable;

/// <summary>Volunteers hide, slow down, mute, lock, close with a conclusion and set timers; all on record.</summary>
public sealed class TeaTableModerationTests : TeaTableHttpTest
{
    [Fact]
    public async Task VolunteersHideLockSlowDownAndMuteAndEveryActionIsLogged()
    {
        var alice = await ResidentWeb.SignInAsync(App, "3栋501");
        var bob = await ResidentWeb.SignInAsync(App, "5栋301");
        var volunteer = await StaffClient.SignInAsync(App, "volunteer1");
        var thread = await StartThreadAsync(alice, "广场舞时间", "晚上九点以后还在跳，太吵了。");
        var rude = await PostAsync(bob, thread, "你管得着吗？");
        var rudeId = rude.GetProperty("id").GetInt32();

        // A resident flags; a resident may not hide.
        var flagged = await PostJson(alice, $"posts/{rudeId}/flags", new { reason = "不文明" });
        Assert.Equal(HttpStatusCode.Accepted, flagged.StatusCode);
        await Problem(await PostJson(alice, $"posts/{rudeId}/hide", new { reason = "不文明" }),
            HttpStatusCode.Forbidden);
        var queue = await Json(await Get(volunteer, "review"), HttpStatusCode.OK);
        Assert.Contains(queue.EnumerateArray(),
            p => p.GetProperty("id").GetInt32() == rudeId && p.GetProperty("flags").GetInt32() == 1);
        await Problem(await Get(alice, "review"), HttpStatusCode.Forbidden);

        // Hidden: gone for residents, kept for moderators; a reason is required.
        var hide = $"posts/{rudeId}/hide";
        await Problem(await PostJson(volunteer, hide, new { reason = " " }), HttpStatusCode.BadRequest);
        await Json(await PostJson(volunteer, hide, new { reason = "人身攻击" }), HttpStatusCode.OK);
        var seen = await Json(await Get(alice, $"threads/{thread}"), HttpStatusCode.OK);
        bool IsRude(JsonElement post) => post.GetProperty("id").GetInt32() == rudeId;
        Assert.DoesNotContain(seen.GetProperty("posts").EnumerateArray(), IsRude);
        var moderated = await Json(await Get(volunteer, $"threads/{thread}"), HttpStatusCode.OK);
        var hidden = moderated.GetProperty("posts").EnumerateArray().Single(IsRude);
        Assert.Equal("人身攻击", hidden.GetProperty("hidden").GetProperty("reason").GetString());
        Assert.StartsWith("志愿者 ", hidden.GetProperty("hidden").GetProperty("by").GetString());
        Assert.Equal("", hidden.GetProperty("html").GetString());

        // Slow mode: one post per 60 s per person.
        await Json(await PutJson(volunteer, $"threads/{thread}/slow-mode", new { seconds = 60 }), HttpStatusCode.OK);
        Clock.Advance(TimeSpan.FromSeconds(61));
        await PostAsync(alice, thread, "我们可以约个时间谈谈。");
        var slow = await Problem(await PostJson(alice, $"threads/{thread}/posts", new { text = "再补充一句" }),
            (HttpStatusCode)429);
        Assert.Equal("Slow mode", slow.GetProperty("title").GetString());

        // Muted: refused with a clear message, until the mute ends.
        var bobId = Db.People.FindAll().First(p => p.Units.Any(b =>
            b.Relation == UnitRelation.Owner && Db.Units.FindById(b.UnitId)!.Label == "5栋301")).Id;
        var mute = new { personId = bobId, minutes = 60, reason = "屡次人身攻击" };
        await Json(await PostJson(volunteer, "mutes", mute), HttpStatusCode.OK);
        Clock.Advance(TimeSpan.FromSeconds(61));
        var muted = await Problem(await PostJson(bob, $"threads/{thread}/posts", new { text = "我错了" }),
            HttpStatusCode.Forbidden);
        Assert.Contains("屡次人身攻击", muted.GetProperty("detail").GetString());

        // Locked: nobody posts.
        await Json(await PostJson(volunteer, $"threads/{thread}/lock", new { reason = "冷静一下" }),
            HttpStatusCode.OK);
        Clock.Advance(TimeSpan.FromSeconds(61));
        var locked = await Problem(await PostJson(alice, $"threads/{thread}/posts", new { text = "还有一点" }),
            HttpStatusCode.Conflict);
        Assert.Contains("冷静一下", locked.GetProperty("detail").GetString());

        var manager = await StaffClient.SignInAsync(App, "manager");
        var audit = await Json(await manager.GetAsync("/api/communities/citong/audit", Ct), HttpStatusCode.OK);
        var actions = audit.EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("detail").GetString()))
            .ToList();
        Assert.Contains(("tea.hide", "人身攻击"), actions);
        Assert.Contains(("tea.slow_mode", "60 s"), actions);
        Assert.Contains(("tea.mute", "60 min: 屡次人身攻击"), actions);
        Assert.Contains(("tea.lock", "冷静一下"), actions);
    }

    [Fact]
    public async Task AThreadClosesWithAConclusionLinkedToItsFollowUpTicket()
    {
        var alice = await ResidentWeb.SignInAsync(App, "3栋501");
        var thread = await StartThreadAsync(alice, "楼道灯太暗", "3栋楼道的灯换成亮一点的吧。");
        var activity = new Linli.Bot.Schema.Activity
        {
            Type = "message", Id = "t1", ChannelId = "directline", Conversation = new("c"), From = new("u"),
        };
        var ticket = App.Services.GetRequiredService<Linli.Tickets.TicketService>()
            .Open("repair_request", new Dictionary<string, string> { ["description"] = "3栋楼道换灯" },
                activity, "citong");
        var volunteer = await StaffClient.SignInAsync(App, "volunteer1");
        var close = $"threads/{thread}/close";
        await Problem(await PostJson(alice, close, new { conclusion = "换灯" }), HttpStatusCode.Forbidden);
        var elsewhere = new { conclusion = "换灯", tickets = new[] { "BX-20000101-0001" } };
        await Problem(await PostJson(volunteer, close, elsewhere), HttpStatusCode.BadRequest);
        var conclusion = new
        {
            conclusion = "物业本周把 3 栋楼道灯换成 LED", followUpBy = "物业客服", due = "2026-12-05",
            tickets = new[] { ticket.Number },
        };
        var closed = await Json(await PostJson(volunteer, close, conclusion), HttpStatusCode.OK);
        Assert.True(closed.GetProperty("closed").GetBoolean());
        Assert.Equal(ticket.Number, closed.GetProperty("conclusion").GetProperty("tickets")[0].GetString());
        await Problem(await PostJson(alice, $"threads/{thread}/posts", new { text = "谢谢" }),
            HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TimersCloseAThreadAndOpenItAgain()
    {
        var alice = await ResidentWeb.SignInAsync(App, "3栋501");
        var thread = await StartThreadAsync(alice);
        var volunteer = await StaffClient.SignInAsync(App, "volunteer1");
        var timers = new { closeAt = Clock.GetUtcNow().AddMinutes(10), reopenAt = Clock.GetUtcNow().AddMinutes(70) };
        await Json(await PutJson(volunteer, $"threads/{thread}/schedule", timers), HttpStatusCode.OK);
        var service = App.Services.GetRequiredService<TeaTableTimers>();
        Clock.Advance(TimeSpan.FromMinutes(11));
        service.RunTimers();
        await Problem(await PostJson(alice, $"threads/{thread}/posts", new { text = "还能说吗" }),
            HttpStatusCode.Conflict);
        Clock.Advance(TimeSpan.FromMinutes(60));
        service.RunTimers();
        await PostAsync(alice, thread, "又可以说了");
    }
}
