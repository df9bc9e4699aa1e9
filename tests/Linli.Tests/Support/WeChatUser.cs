using System.Globalization;
using System.Net;
using Linli.Channels.WeChat;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Support;

/// <summary>
/// A follower of the service account, as WeChat's servers speak for them: signed XML posted to <c>/api/wechat</c>
/// (plain, or sealed when the app has an EncodingAESKey), the passive reply read from the response.
/// </summary>
/// <param name="time">Linli's clock: a callback's timestamp must be within minutes of it.</param>
public sealed class WeChatUser(HttpClient http, string openId, WeChatCrypto? safeMode = null, TimeProvider? time = null)
{
    public const string Token = "wechat-test-token";
    public const string Account = "gh_linli_test";
    /// <summary>A message key as the account's settings page makes them: 43 characters.</summary>
    public const string EncodingAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private static long _messageIds = 24_000_000_000_000_000;
    private long _clock = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();

    public string OpenId => openId;

    /// <summary>The settings that point a Linli at <paramref name="wechat"/> with this test's token.</summary>
    public static Dictionary<string, string?> Settings(FakeWeChat wechat, bool safe = false) => new()
    {
        ["WeChat:Token"] = Token,
        ["WeChat:AppId"] = FakeWeChat.AppId,
        ["WeChat:AppSecret"] = FakeWeChat.AppSecret,
        ["WeChat:ApiBase"] = wechat.BaseUrl,
        ["WeChat:OAuthBase"] = wechat.BaseUrl,
        ["WeChat:EncodingAESKey"] = safe ? EncodingAesKey : null,
    };

    public static WeChatCrypto Crypto() => new(Token, EncodingAesKey, FakeWeChat.AppId);

    /// <summary>
    /// Says <paramref name="text"/>; the passive reply's text, or null when Linli answered "success".
    /// </summary>
    public async Task<string?> SayAsync(string text, long? msgId = null, CancellationToken ct = default)
    {
        var id = msgId ?? Interlocked.Increment(ref _messageIds);
        var (_, reply) = await PostAsync(Message("text", $"<Content>{Cdata(text)}</Content><MsgId>{id}</MsgId>"), ct);
        return reply;
    }

    public async Task<string?> FollowAsync(CancellationToken ct = default) =>
        (await PostAsync(Message("event", "<Event><![CDATA[subscribe]]></Event>"), ct)).Reply;

    public async Task<string?> SendPhotoAsync(string mediaId, CancellationToken ct = default)
    {
        var id = Interlocked.Increment(ref _messageIds);
        var body = $"<PicUrl><![CDATA[http://mmbiz.example/{mediaId}]]></PicUrl>" +
                   $"<MediaId>{Cdata(mediaId)}</MediaId><MsgId>{id}</MsgId>";
        return (await PostAsync(Message("image", body), ct)).Reply;
    }

    public string Message(string type, string fields) =>
        $"<xml><ToUserName>{Cdata(Account)}</ToUserName><FromUserName>{Cdata(openId)}</FromUserName>" +
        $"<CreateTime>{Interlocked.Increment(ref _clock)}</CreateTime><MsgType>{Cdata(type)}</MsgType>{fields}</xml>";

    /// <summary>Posts a message as WeChat does: signed, sealed in safe mode; the status and the reply's text.</summary>
    public async Task<(HttpStatusCode Status, string? Reply)> PostAsync(
        string xml, CancellationToken ct = default, string? token = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        var (timestamp, nonce) = (now.ToString(CultureInfo.InvariantCulture), Random.Shared.Next().ToString());
        var signature = WeChatCrypto.Signature(token ?? Token, timestamp, nonce);
        var url = $"/api/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid={openId}";
        var body = xml;
        if (safeMode is not null)
        {
            var encrypt = safeMode.Encrypt(xml);
            var msgSignature = WeChatCrypto.Signature(token ?? Token, timestamp, nonce, encrypt);
            url += $"&encrypt_type=aes&msg_signature={msgSignature}";
            body = $"<xml><ToUserName>{Cdata(Account)}</ToUserName><Encrypt>{Cdata(encrypt)}</Encrypt></xml>";
        }
        var content = new StringContent(body, System.Text.Encoding.UTF8, "text/xml");
        using var response = await http.PostAsync(url, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK || text == "success") return (response.StatusCode, null);
        if (safeMode is not null)
        {
            var envelope = WeChatXml.ParseEnvelope(text);
            text = safeMode.Decrypt(envelope.Encrypt);
        }
        var reply = WeChatXml.Parse(text);
        Assert.Equal((openId, Account, "text"), (reply.ToUserName, reply.FromUserName, reply.MsgType));
        return (response.StatusCode, reply.Content);
    }

    /// <summary>
    /// Binds this follower to the owner of <paramref name="unitLabel"/>, as the binding dialog would.
    /// </summary>
    public void BindTo(IServiceProvider services, string unitLabel)
    {
        var db = services.GetRequiredService<Linli.Storage.LiteDb.LinliDatabase>();
        var unit = services.GetRequiredService<Linli.Residents.ResidentDirectory>().FindUnit(unitLabel)!;
        var owner = db.People.FindAll()
            .First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == Linli.People.UnitRelation.Owner));
        services.GetRequiredService<Linli.Residents.IResidentBindingStore>().Save(new Linli.Residents.ResidentBinding
        {
            Id = Linli.Residents.ResidentDirectory.Key(WeChatChannel.Id, openId), CommunityId = unit.CommunityId,
            UnitId = unit.Id, PersonId = owner.Id, BoundAt = DateTimeOffset.UtcNow,
        });
    }

    private static string Cdata(string value) => $"<![CDATA[{value.Replace("]]>", "]]]]><![CDATA[>")}]]>";

    /// <summary>Reply paragraphs: the passive reply joins the bot's messages with a blank line.</summary>
    public static List<string> Messages(string? reply) =>
        reply is null ? [] : [.. reply.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)];
}
