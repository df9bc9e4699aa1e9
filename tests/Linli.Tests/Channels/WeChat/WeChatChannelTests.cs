using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linli.Tests.Channels.WeChat;

/// <summary>
/// The service account's callback through the real host, with WeChat's API servers faked on loopback: what a
/// follower says is answered in the response, or through the customer-service API when the turn is slow or the news
/// comes later; anything not signed for the account is refused and leaves nothing behind.
/// </summary>
public sealed class WeChatChannelTests : IAsyncLifetime
{
    private FakeWeChat _wechat = null!;
    private LinliAppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();

    public async ValueTask InitializeAsync()
    {
        _wechat = await FakeWeChat.StartAsync();
        _app = new LinliAppFactory(WeChatUser.Settings(_wechat));
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _wechat.DisposeAsync();
    }

    private WeChatUser User(string openId = "o-resident-0001") => new(_app.CreateClient(), openId);

    [Fact]
    public async Task TheAddressCheckEchoesOnlyWhenSignedWithTheAccountsToken()
    {
        var client = _app.CreateClient();
        var (timestamp, nonce) = ("1714037059", "486452656");
        var signed = Linli.Channels.WeChat.WeChatCrypto.Signature(WeChatUser.Token, timestamp, nonce);
        var query = $"timestamp={timestamp}&nonce={nonce}";
        var echoed = await client.GetStringAsync($"/api/wechat?signature={signed}&{query}&echostr=echo-123", Ct);
        Assert.Equal("echo-123", echoed);
        var forged = Linli.Channels.WeChat.WeChatCrypto.Signature("another-token", timestamp, nonce);
        var refused = await client.GetAsync($"/api/wechat?signature={forged}&{query}&echostr=x", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task AFollowerIsGreetedAndAnsweredInTheResponseWithButtonsAsNumbers()
    {
        var user = User();
        Assert.Contains("邻里", await user.FollowAsync(Ct));
        var reply = await user.SayAsync("我要报修", ct: Ct);
        Assert.Contains("是家里要修，还是公共区域？", reply);
        Assert.Matches(@"回复 1：\S+\n回复 2：", reply);
        // "1" is the first button, as if tapped.
        Assert.Contains("房号", await user.SayAsync("1", ct: Ct));
        Assert.Empty(_wechat.Messages);
    }

    [Fact]
    public async Task AMessageWeChatRetriesIsHeardOnce()
    {
        var user = User();
        var first = await user.SayAsync("物业费怎么算", msgId: 7_000_001, ct: Ct);
        Assert.NotNull(first);
        Assert.Null(await user.SayAsync("物业费怎么算", msgId: 7_000_001, ct: Ct));
        var heard = LiteTranscriptStore.AllLines(Db).Count(t => t.Role == "user" && t.Text == "物业费怎么算");
        Assert.Equal(1, heard);
    }

    [Fact]
    public async Task WhatIsNotSignedForTheAccountIsRefusedAndLeavesNothing()
    {
        var user = User("o-stranger");
        int Heard() => LiteTranscriptStore.AllLines(Db).Count(t => t.Role == "user");
        var (seen, heard) = (Db.ProcessedActivities.Count(), Heard());
        var message = user.Message("text", "<Content><![CDATA[报修]]></Content><MsgId>1</MsgId>");
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsync(message, Ct, token: "not-the-token")).Status);
        Assert.Equal(seen, Db.ProcessedActivities.Count());

        var client = _app.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        static string Url(long timestamp, string nonce)
        {
            var signature = Linli.Channels.WeChat.WeChatCrypto.Signature(WeChatUser.Token, $"{timestamp}", nonce);
            return $"/api/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}";
        }
        StringContent Xml(string body) => new(body, null, "text/xml");
        var malformed = await client.PostAsync(Url(now, "1"), Xml("<xml><ToUserName>"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var huge = await client.PostAsync(Url(now, "2"), Xml(new string('x', 70_000)), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        var other = await client.PostAsync(Url(now, "3") + "&openid=o-someone-else", Xml(message), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        // A signed request copied from a log an hour later: refused; the same one sent again at once: does nothing.
        var stale = await client.PostAsync(Url(now - 3600, "4"), Xml(message), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        // Logged, with how far off it was: a server clock gone wrong would refuse every message this way.
        Assert.Contains(_app.Logs.AtLeast(LogLevel.Warning),
            m => Regex.IsMatch(m, @"^Refused a signed WeChat message stamped 360[01] s behind .* at most 300 s"));
        var first = await client.PostAsync(Url(now, "5"), Xml(message.Replace("o-stranger", "o-replayed")), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var replayed = await client.PostAsync(Url(now, "5"), Xml(message), Ct);
        Assert.Equal("success", await replayed.Content.ReadAsStringAsync(Ct));

        Assert.Equal(heard + 1, Heard());   // o-replayed's one message, heard once
        Assert.False(Db.ConversationReferences.Exists(r => r.UserId == "o-stranger"));
    }

    [Fact]
    public async Task NewsAfterTheTurnGoesAsACustomerServiceMessageAndATemplateOutsideTheWindow()
    {
        var user = User("o-proactive-01");
        await user.SayAsync("你好", ct: Ct);
        var messenger = _app.Services.GetRequiredService<IProactiveMessenger>();
        var references = _app.Services.GetRequiredService<IConversationReferenceStore>();
        var reference = (await references.FindAsync("wechat", user.OpenId, Ct))!;

        const string accepted = "单子 BX-1 已受理。", done = "单子 BX-1 已处理好。";
        await messenger.SendAsync(reference, new Activity { Type = ActivityTypes.Message, Text = accepted }, Ct);
        Assert.Equal([accepted], await _wechat.WaitForTextsAsync(user.OpenId, 1));
        Assert.Equal(1, _wechat.TokensIssued);
        // WeChat forgets the token: the next call is refused (42001), fetches another and goes through.
        _wechat.ExpireToken();
        await messenger.SendAsync(reference, new Activity { Type = ActivityTypes.Message, Text = done }, Ct);
        Assert.Equal([accepted, done], await _wechat.WaitForTextsAsync(user.OpenId, 2));
        Assert.Equal(2, _wechat.TokensIssued);

        // Out of the 48-hour window, without a template configured: not delivered, and not retried forever.
        _wechat.OutsideWindow[user.OpenId] = true;
        await messenger.SendAsync(reference, new Activity { Type = ActivityTypes.Message, Text = "第二条" }, Ct);
        await Eventually(() => Db.TextOutbox.Count(t => t.Channel == "wechat") == 0);
        Assert.Equal(2, (await _wechat.WaitForTextsAsync(user.OpenId, 2)).Count);
    }

    [Fact]
    public async Task AnEmergencysLadderStepsReachTheResidentAsCustomerServiceMessages()
    {
        var user = User("o-emergency-01");
        var first = WeChatUser.Messages(await user.SayAsync("着火了，好大的烟", ct: Ct));
        Assert.Contains(first, m => m.Contains("请先保证安全！"));
        Assert.Contains("值班人员正在赶往", await user.SayAsync("3栋502", ct: Ct));
        var number = Db.Tickets.FindAll().Single(t => t.Kind == "emergency" && t.Location == "3栋502").Number;

        var staff = await StaffClient.SignInAsync(_app, "manager");
        foreach (var step in new[] { "acknowledge", "on_the_way", "on_site" })
        {
            var answered = await staff.PostAsJsonAsync($"/api/tickets/{number}/ladder", new { step }, Ct);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
        var texts = await _wechat.WaitForTextsAsync(user.OpenId, 3);
        Assert.Collection(texts,
            t => Assert.Contains("值班人员已收到", t),
            t => Assert.Contains("已出发", t),
            t => Assert.Contains("已到现场", t));
    }

    [Fact]
    public async Task VoiceIsHeardThroughWeChatsRecognition()
    {
        var user = User("o-voice-01");
        var voice = user.Message("voice", "<MediaId><![CDATA[v1]]></MediaId><Format><![CDATA[amr]]></Format>" +
                                          "<Recognition><![CDATA[我要报修]]></Recognition><MsgId>9100001</MsgId>");
        Assert.Contains("是家里要修，还是公共区域？", (await user.PostAsync(voice, Ct)).Reply);
        var spokenNumber = user.Message("voice", "<MediaId><![CDATA[v2]]></MediaId><Format><![CDATA[amr]]></Format>" +
                                                 "<Recognition><![CDATA[1。]]></Recognition><MsgId>9100002</MsgId>");
        Assert.Contains("房号", (await user.PostAsync(spokenNumber, Ct)).Reply);
        // Speech WeChat did not turn into words: a plain answer, not "I didn't understand ''".
        var unheard = user.Message("voice", "<MediaId><![CDATA[v3]]></MediaId><MsgId>9100003</MsgId>");
        Assert.Equal("语音暂时听不清，请打字告诉我。", (await user.PostAsync(unheard, Ct)).Reply);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task WhenWeChatIsBusyMessagesWaitAndLeaveInOrder()
    {
        var user = User("o-busy-01");
        await user.SayAsync("你好", ct: Ct);
        var messenger = _app.Services.GetRequiredService<IProactiveMessenger>();
        var reference = (await _app.Services.GetRequiredService<IConversationReferenceStore>()
            .FindAsync("wechat", user.OpenId, Ct))!;
        _wechat.BusyFor = 1;
        foreach (var text in new[] { "第一条", "第二条", "第三条" })
            await messenger.SendAsync(reference, new Activity { Type = ActivityTypes.Message, Text = text }, Ct);
        var texts = await _wechat.WaitForTextsAsync(user.OpenId, 3, TimeSpan.FromSeconds(15));
        Assert.Equal(["第一条", "第二条", "第三条"], texts);
        Assert.Equal(1, _wechat.BusyAnswers);   // the first was refused once, and the others waited behind it
    }

    [Fact]
    public async Task APhotoIsFetchedFromWeChatAndKeptAsTheWebChatKeepsUploads()
    {
        _wechat.Media["media-1"] = Convert.FromBase64String(ResidentChat.OnePixelPng);
        var user = User("o-photo-01");
        Assert.Contains("照片收到了", await user.SendPhotoAsync("media-1", Ct));
        var said = LiteTranscriptStore.AllLines(Db).Single(t => t.Role == "user" && t.Attachments.Count > 0);
        var url = Assert.Single(said.Attachments);
        Assert.Contains("/attachments/", url);
        var photo = await _app.CreateClient().GetAsync(new Uri(url).PathAndQuery, Ct);
        Assert.Equal("image/png", photo.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ALinkFromTheChatSignsABoundFollowerInThroughWebAuthorization()
    {
        var user = User("o-oauth-01");
        user.BindTo(_app.Services, "3栋502");
        var browser = _app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        async Task<string> StartAsync()
        {
            var start = await browser.GetAsync("/wechat/oauth?return=%2Ftransparency", Ct);
            Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
            var authorize = start.Headers.Location!.ToString();
            Assert.StartsWith(
                $"{_wechat.BaseUrl}/connect/oauth2/authorize?appid={FakeWeChat.AppId}&redirect_uri=", authorize);
            Assert.Contains("&scope=snsapi_base&state=", authorize);
            Assert.EndsWith("#wechat_redirect", authorize);
            var state = System.Web.HttpUtility.ParseQueryString(new Uri(authorize).Query)["state"]!;
            Assert.Matches("^[a-zA-Z0-9]{1,128}$", state);   // what WeChat accepts as a state
            return $"/wechat/oauth/callback?state={state}";
        }

        // WeChat's browser comes back with a code that names the follower.
        var callback = await StartAsync();
        _wechat.Codes["code-1"] = user.OpenId;
        var back = await browser.GetAsync($"{callback}&code=code-1", Ct);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/transparency", back.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/transparency", Ct)).StatusCode);

        // The same callback again, or sent to another browser, or a state not this browser's: nobody is signed in.
        _wechat.Codes["code-2"] = user.OpenId;
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"{callback}&code=code-2", Ct)).StatusCode);
        var elsewhere = await StartAsync();
        _wechat.Codes["code-3"] = user.OpenId;
        var other = _app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"{elsewhere}&code=code-3", Ct)).StatusCode);
        await StartAsync();
        _wechat.Codes["code-4"] = user.OpenId;
        var forged = await browser.GetAsync("/wechat/oauth/callback?state=forged0000&code=code-4", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        // A follower who has not bound a flat is told what to do.
        var unboundFlow = await StartAsync();
        _wechat.Codes["code-5"] = "o-not-bound";
        var unbound = await browser.GetAsync($"{unboundFlow}&code=code-5", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, unbound.StatusCode);
        Assert.Contains("请先在公众号里绑定房号", await unbound.Content.ReadAsStringAsync(Ct));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.True(condition());
    }
}

/// <summary>Safe mode (安全模式) end to end, and the custom menu created at start.</summary>
public sealed class WeChatSafeModeTests : IAsyncLifetime
{
    private FakeWeChat _wechat = null!;
    private LinliAppFactory _app = null!;

    public async ValueTask InitializeAsync()
    {
        _wechat = await FakeWeChat.StartAsync();
        var settings = WeChatUser.Settings(_wechat, safe: true);
        settings["WeChat:Menu:0:Name"] = "查物业费";
        settings["WeChat:Menu:1:Name"] = "报修";
        settings["WeChat:Menu:2:Name"] = "更多";
        settings["WeChat:Menu:2:SubButtons:0:Name"] = "茶桌议事";
        settings["WeChat:Menu:2:SubButtons:0:Url"] = "https://linli.example.org/wechat/oauth?return=%2Ftea";
        _app = new LinliAppFactory(settings);
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _wechat.DisposeAsync();
    }

    [Fact]
    public async Task ASealedMessageGetsASealedReplyAndOneSealedForAnotherAccountIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = new WeChatUser(_app.CreateClient(), "o-safe-01", WeChatUser.Crypto());
        Assert.Contains("是家里要修，还是公共区域？", await user.SayAsync("我要报修", ct: ct));
        // A menu click is a message of the button's key.
        var click = user.Message("event",
            "<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[查物业费]]></EventKey>");
        Assert.NotNull((await user.PostAsync(click, ct)).Reply);

        var stranger = new WeChatUser(_app.CreateClient(), "o-safe-02",
            new Linli.Channels.WeChat.WeChatCrypto(WeChatUser.Token, WeChatUser.EncodingAesKey, "wx-another-app"));
        var (status, _) = await stranger.PostAsync(
            stranger.Message("text", "<Content>hi</Content><MsgId>5</MsgId>"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(_app.Services.GetRequiredService<LinliDatabase>().ConversationReferences
            .Exists(r => r.UserId == "o-safe-02"));
    }

    [Fact]
    public async Task TheConfiguredMenuIsCreatedAtStart()
    {
        _ = _app.Services;   // starts Linli
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_wechat.Menus.IsEmpty && DateTime.UtcNow < until)
            await Task.Delay(20, TestContext.Current.CancellationToken);
        var menu = Assert.Single(_wechat.Menus).GetProperty("button");
        Assert.Equal(("click", "查物业费", "查物业费"),
            (menu[0].GetProperty("type").GetString(), menu[0].GetProperty("name").GetString(),
                menu[0].GetProperty("key").GetString()));
        var more = menu[2].GetProperty("sub_button")[0];
        Assert.Equal(("view", "茶桌议事"),
            (more.GetProperty("type").GetString(), more.GetProperty("name").GetString()));
    }
}

/// <summary>Outside the window with a template configured, the news goes as the template message.</summary>
public sealed class WeChatTemplateTests : IAsyncLifetime
{
    private FakeWeChat _wechat = null!;
    private LinliAppFactory _app = null!;

    public async ValueTask InitializeAsync()
    {
        _wechat = await FakeWeChat.StartAsync();
        var settings = WeChatUser.Settings(_wechat);
        settings["WeChat:Template:Id"] = "tmpl-notice";
        _app = new LinliAppFactory(settings);
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _wechat.DisposeAsync();
    }

    [Fact]
    public async Task NewsOutsideTheWindowGoesAsTheConfiguredTemplateCutToItsField()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = new WeChatUser(_app.CreateClient(), "o-template-01");
        await user.SayAsync("你好", ct: ct);
        _wechat.OutsideWindow[user.OpenId] = true;
        var reference = (await _app.Services.GetRequiredService<IConversationReferenceStore>()
            .FindAsync("wechat", user.OpenId, ct))!;
        await _app.Services.GetRequiredService<IProactiveMessenger>().SendAsync(reference,
            new Activity
            {
                Type = ActivityTypes.Message,
                Text = "您报修的单子 BX-20261201-0001 师傅已上门处理完毕，请评价",
            }, ct);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!_wechat.Messages.Any(m => m.Kind == "template") && DateTime.UtcNow < until) await Task.Delay(20, ct);
        var sent = Assert.Single(_wechat.Messages, m => m.Kind == "template");
        Assert.Equal("tmpl-notice", sent.Body.GetProperty("template_id").GetString());
        var text = sent.Body.GetProperty("data").GetProperty("thing1").GetProperty("value").GetString()!;
        Assert.Equal(20, text.Length);
        Assert.EndsWith("…", text);
    }
}

/// <summary>
/// A turn slower than WeChat's five seconds (a chat model that takes its time): the callback answers "success" in
/// time, and the bot's reply comes through the customer-service API, not lost.
/// </summary>
public sealed class WeChatSlowTurnTests : IAsyncLifetime
{
    private FakeWeChat _wechat = null!;
    private FakeChatModel _model = null!;
    private LinliAppFactory _app = null!;

    public async ValueTask InitializeAsync()
    {
        _wechat = await FakeWeChat.StartAsync();
        _model = await FakeChatModel.StartAsync();
        _model.Delay = TimeSpan.FromSeconds(8);
        _model.Arguments = new() { ["intent"] = "fee_query", ["topic"] = "explain" };
        var settings = WeChatUser.Settings(_wechat);
        settings["ChatModel:Endpoint"] = _model.Endpoint;
        settings["ChatModel:Model"] = "qwen-test";
        settings["ChatModel:TimeoutMilliseconds"] = "12000";
        // Well short of WeChat's five seconds: a busy test machine (the whole suite on two cores) adds its own delays.
        settings["WeChat:PassiveReplySeconds"] = "2";
        _app = new LinliAppFactory(settings);
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _model.DisposeAsync();
        await _wechat.DisposeAsync();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task TheCallbackAnswersInTimeAndTheReplyFollowsThroughTheApi()
    {
        var user = new WeChatUser(_app.CreateClient(), "o-slow-0001");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var reply = await user.SayAsync("这个月的钱是怎么算出来的",
            ct: TestContext.Current.CancellationToken);
        // "success": WeChat will not retry, and waits for the API.
        Assert.Null(reply);
        // Answered at the deadline, not when the model was done (eight seconds).
        Assert.InRange(started.Elapsed.TotalSeconds, 1.9, 6.0);
        var texts = await _wechat.WaitForTextsAsync(user.OpenId, 1, TimeSpan.FromSeconds(15));
        Assert.NotEmpty(texts);
        Assert.True(_model.Requests.Count >= 1);
    }
}
