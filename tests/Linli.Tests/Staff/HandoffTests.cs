using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Staff;

/// <summary>
/// A person takes the conversation over: the bot goes quiet, staff and resident talk in the resident's own chat.
/// </summary>
public sealed class HandoffTests : IDisposable
{
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StaffTakeOverTalkInTheResidentsChatAndHandBack()
    {
        var dl = new DirectLineTestClient(_app.CreateClient());
        var issued = await dl.Http.PostAsJsonAsync("/api/chat/token", new { locale = "zh-CN" }, Ct);
        var token = await issued.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var c = await dl.StartAsync(token.GetProperty("token").GetString(), Ct);
        var user = token.GetProperty("userId").GetString();
        string? watermark = null;
        async Task<List<JsonElement>> Say(string? text)
        {
            if (text is not null)
            {
                var message = new { type = "message", text, locale = "zh-CN", from = new { id = user, role = "user" } };
                (await dl.PostAsync(c, message, ct: Ct)).EnsureSuccessStatusCode();
            }
            var (activities, next) = await dl.GetAsync(c, watermark, ct: Ct);
            watermark = next;
            return activities.Where(a => a.GetProperty("from").GetProperty("role").GetString() == "bot").ToList();
        }
        await Say(null);
        static string? HandoffState(List<JsonElement> activities) => Assert.Single(activities,
                a => a.TryGetProperty("name", out var n) && n.GetString() == "handoff.status")
            .GetProperty("value").GetProperty("state").GetString();

        var asked = await Say("转人工");
        var initiate = Assert.Single(asked, a => a.GetProperty("type").GetString() == "event");
        Assert.Equal("handoff.initiate", initiate.GetProperty("name").GetString());
        var number = initiate.GetProperty("value").GetProperty("ticket").GetString()!;
        Assert.StartsWith("RG-", number);

        var staff = await StaffClient.SignInAsync(_app, "service");
        Assert.Equal(HttpStatusCode.NoContent,
            (await staff.PostAsync($"/api/tickets/{number}/takeover", null, Ct)).StatusCode);
        var joined = await Say(null);
        Assert.Equal("accepted", HandoffState(joined));
        var accepted = joined.Single(a => a.GetProperty("type").GetString() == "message");
        Assert.Contains("已接入", accepted.GetProperty("text").GetString());
        var version = (await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Ct)).GetProperty("version");

        // While taken over, the bot says nothing, not even to a menu word; the words reach the ticket.
        Assert.Empty(await Say("我家门禁卡丢了，查物业费也行"));
        var sent = await staff.PostAsJsonAsync($"/api/tickets/{number}/messages",
            new { text = "您好，带身份证到物业中心补办，10元工本费。" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        var reply = Assert.Single(await Say(null));
        Assert.Equal("您好，带身份证到物业中心补办，10元工本费。", reply.GetProperty("text").GetString());
        Assert.NotEqual("", reply.GetProperty("from").GetProperty("name").GetString());
        var ticket = _app.Services.GetRequiredService<TicketService>().Find(number)!;
        Assert.Equal(["resident", ticket.Messages[1].From], ticket.Messages.Select(m => m.From));
        Assert.Equal("我家门禁卡丢了，查物业费也行", ticket.Messages[0].Text);
        var seen = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Ct);
        Assert.Equal(2, seen.GetProperty("messages").GetArrayLength());
        // Lines of the conversation are not changes of the ticket: a console's If-Match still holds.
        Assert.Equal(version.GetInt32(), seen.GetProperty("version").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent,
            (await staff.PostAsync($"/api/tickets/{number}/handback", null, Ct)).StatusCode);
        // The bot speaks again in a turn of its own, a moment after the hand-back.
        var back = await Say(null);
        for (var i = 0; i < 200 && !back.Any(a => a.GetProperty("type").GetString() == "message"); i++)
        {
            await Task.Delay(50, Ct);
            back.AddRange(await Say(null));
        }
        Assert.Contains(back, a => a.GetProperty("type").GetString() == "message");
        Assert.Equal("completed", HandoffState(back));
        Assert.Equal(HttpStatusCode.Conflict,
            (await staff.PostAsync($"/api/tickets/{number}/handback", null, Ct)).StatusCode);
        Assert.Contains("想了解物业费的哪方面？", (await Say("查物业费")).Single().GetProperty("text").GetString());
    }
}
