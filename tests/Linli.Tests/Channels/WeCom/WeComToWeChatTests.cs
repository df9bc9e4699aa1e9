using System.Net.Http.Json;
using Linli.Channels.WeCom;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Channels.WeCom;

/// <summary>
/// Both of WeChat's sides at once: a resident on the service account reports a fire, the member on duty is paged on
/// WeCom, and what they write back from WeCom reaches the resident on WeChat as a customer-service message.
/// </summary>
public sealed class WeComToWeChatTests : IAsyncLifetime
{
    private FakeWeChat _wechat = null!;
    private FakeWeCom _wecom = null!;
    private LinliAppFactory _app = null!;

    public async ValueTask InitializeAsync()
    {
        _wechat = await FakeWeChat.StartAsync();
        _wecom = await FakeWeCom.StartAsync();
        var settings = WeChatUser.Settings(_wechat);
        foreach (var (key, value) in WeComMember.Settings(_wecom)) settings[key] = value;
        _app = new LinliAppFactory(settings).WithoutDemoTickets();
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _wecom.DisposeAsync();
        await _wechat.DisposeAsync();
    }

    [Fact]
    public async Task AStaffReplyFromWeComReachesTheResidentOnWeChat()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = _app.Services.GetRequiredService<LinliDatabase>();
        // The repair technician is first on duty, and has WeCom.
        var manager = await StaffClient.SignInAsync(_app, "manager");
        var roster = new { personIds = new[] { "repair1", "service" }.Select(a => db.Accounts.FindById(a)!.PersonId) };
        (await manager.PutAsJsonAsync("/api/communities/citong/duty-roster", roster, ct)).EnsureSuccessStatusCode();

        var resident = new WeChatUser(_app.CreateClient(), "o-fire-0001");
        Assert.Contains("请先保证安全！", await resident.SayAsync("着火了！", ct: ct));
        var emergency = db.Tickets.FindOne(t => t.Kind == "emergency" && t.Reporter.UserId == resident.OpenId);
        Assert.NotNull(emergency);

        // The first on the duty roster is paged on WeCom.
        var page = Assert.Single(await _wecom.WaitForTextsAsync("repair1", 1));
        Assert.Contains(emergency.Number, page);

        var member = new WeComMember(_app.CreateClient(), "repair1");
        var answer = await member.SayAsync($"#{emergency.Number} 消防员五分钟到，请走楼梯下楼", ct: ct);
        Assert.StartsWith(WeComReplies.Sent, answer);
        var heard = await _wechat.WaitForTextsAsync(resident.OpenId, 1);
        Assert.Contains(heard, t => t.Contains("消防员五分钟到，请走楼梯下楼"));
    }
}
