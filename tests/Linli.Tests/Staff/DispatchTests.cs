using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Staff;

/// <summary>Taking tickets from the pool: simultaneous claims, stale consoles.</summary>
public sealed class DispatchTests : IDisposable
{
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> ReportRepairAsync()
    {
        var chat = await ResidentChat.StartAsync(_app);
        foreach (var line in new[] { "报修", "公共区域", "2栋大堂", "门禁", "门禁刷卡没反应", "上午" }) await chat.SayAsync(line);
        var said = await chat.SayAsync("对");
        await chat.SayAsync("跳过");
        return System.Text.RegularExpressions.Regex.Match(string.Join("\n", said), @"BX-\d{8}-\d{4}").Value;
    }

    [Fact]
    public async Task OfTwoStaffClaimingAtOnceExactlyOneWinsAndTheOtherSeesWho()
    {
        var number = await ReportRepairAsync();
        var first = await StaffClient.SignInAsync(_app, "repair1");
        var second = await StaffClient.SignInAsync(_app, "repair2");

        for (var round = 0; round < 5; round++)
        {
            if (round > 0)
            {
                // Put it back in the pool for another race.
                var store = _app.Services.GetRequiredService<ITicketStore>();
                var taken = store.FindByNumber(number)!;
                Assert.NotNull(store.TryReplace(taken with { AssigneeId = null, Status = TicketStatus.New }));
            }
            var responses = await Task.WhenAll(
                first.PostAsync($"/api/tickets/{number}/claim", null, Ct),
                second.PostAsync($"/api/tickets/{number}/claim", null, Ct));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            var winner = await responses.Single(r => r.IsSuccessStatusCode).Content.ReadFromJsonAsync<JsonElement>(Ct);
            var problem = await loser.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var winnerName = winner.GetProperty("assignee").GetProperty("name").GetString();
            Assert.Equal(winnerName, problem.GetProperty("assignee").GetProperty("name").GetString());
            Assert.Contains(winnerName!, problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task AChangeFromAStaleConsoleIsRefusedWithTheCurrentVersion()
    {
        var number = await ReportRepairAsync();
        var staff = await StaffClient.SignInAsync(_app, "manager");
        var shown = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Ct);
        var seen = shown.GetProperty("version").GetInt32();

        var colleague = await StaffClient.SignInAsync(_app, "service");
        Assert.Equal(HttpStatusCode.OK,
            (await colleague.PostAsync($"/api/tickets/{number}/claim", null, Ct)).StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{number}")
        {
            Content = JsonContent.Create(new { status = "Closed" }),
        };
        stale.Headers.TryAddWithoutValidation("If-Match", $"\"{seen}\"");
        var refused = await staff.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        var current = (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("version").GetInt32();
        Assert.True(current > seen);
        Assert.Equal(TicketStatus.Assigned, _app.Services.GetRequiredService<TicketService>().Find(number)!.Status);

        using var fresh = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{number}")
        {
            Content = JsonContent.Create(new { status = "InProgress" }),
        };
        fresh.Headers.TryAddWithoutValidation("If-Match", $"\"{current}\"");
        Assert.Equal(HttpStatusCode.OK, (await staff.SendAsync(fresh, Ct)).StatusCode);
    }

    private string PersonOf(string account) =>
        _app.Services.GetRequiredService<Linli.Storage.LiteDb.LinliDatabase>().Accounts.FindById(account)!.PersonId;

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task RoundRobinTakesTurnsDownTheRosterAndTicketsArePassedOnWithAReason()
    {
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var onDuty = new { personIds = new[] { PersonOf("repair1"), PersonOf("repair2") } };
        await Ok(await manager.PutAsJsonAsync("/api/communities/citong/duty-roster", onDuty, Ct));
        var numbers = new[] { await ReportRepairAsync(), await ReportRepairAsync(), await ReportRepairAsync() };
        var given = new List<string>();
        foreach (var number in numbers)
        {
            var dispatched = await Ok(await manager.PostAsJsonAsync($"/api/tickets/{number}/dispatch",
                new { action = "round_robin" }, Ct));
            given.Add(dispatched.GetProperty("assignee").GetProperty("id").GetString()!);
        }
        Assert.Equal([PersonOf("repair1"), PersonOf("repair2"), PersonOf("repair1")], given);

        // 转单: the assignee hands it to a colleague, with a reason; someone else may not.
        var repair2 = await StaffClient.SignInAsync(_app, "repair2");
        var dispatch = $"/api/tickets/{numbers[0]}/dispatch";
        var notMine = await repair2.PostAsJsonAsync(dispatch,
            new { action = "transfer", to = PersonOf("repair2"), reason = "我顺路" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, notMine.StatusCode);
        var refusal = await notMine.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Cannot pass the ticket on that way", refusal.GetProperty("title").GetString());
        Assert.Equal("Only the person who has the ticket, or a manager, can pass it on.",
            refusal.GetProperty("detail").GetString());
        var repair1 = await StaffClient.SignInAsync(_app, "repair1");
        var noReason = await repair1.PostAsJsonAsync(dispatch,
            new { action = "transfer", to = PersonOf("repair2") }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var moved = await Ok(await repair1.PostAsJsonAsync(dispatch,
            new { action = "transfer", to = PersonOf("repair2"), reason = "门禁归张师傅管" }, Ct));
        Assert.Equal(PersonOf("repair2"), moved.GetProperty("assignee").GetProperty("id").GetString());

        // 退单: back to the pool, unassigned, the reason on the record.
        var back = await Ok(await repair2.PostAsJsonAsync(dispatch,
            new { action = "send_back", reason = "需要电梯公司处理" }, Ct));
        Assert.Equal("New", back.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, back.GetProperty("assignee").ValueKind);
        var lastEvent = back.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("退单: 需要电梯公司处理", lastEvent.GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.OK,
            (await repair1.PostAsync($"/api/tickets/{numbers[0]}/claim", null, Ct)).StatusCode);
    }
}
