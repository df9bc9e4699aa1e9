using System.Globalization;
using System.Net;
using Linli.Channels.WeChat;

namespace Linli.Tests.Support;

/// <summary>
/// A member of the organisation writing to the Linli app, as WeCom's servers speak for them: XML sealed for the
/// CorpId, posted to <c>/api/wecom</c> with its msg_signature, the sealed passive reply opened from the response.
/// </summary>
/// <param name="time">Linli's clock: a callback's timestamp must be within minutes of it.</param>
public sealed class WeComMember(HttpClient http, string userId, TimeProvider? time = null)
{
    public const string Token = "wecom-test-token";
    /// <summary>A key as the app's 接收消息 page makes them: 43 characters.</summary>
    public const string EncodingAesKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";

    private static long _messageIds = 7_100_000_000_000_000;
    private static long _clock = 1_764_650_000;

    public string UserId => userId;

    /// <summary>Settings that point a Linli at <paramref name="wecom"/>, with this test's callback keys.</summary>
    public static Dictionary<string, string?> Settings(FakeWeCom wecom) => new()
    {
        ["WeCom:CorpId"] = FakeWeCom.CorpId,
        ["WeCom:AgentId"] = FakeWeCom.AgentId.ToString(CultureInfo.InvariantCulture),
        ["WeCom:Secret"] = FakeWeCom.Secret,
        ["WeCom:Token"] = Token,
        ["WeCom:EncodingAESKey"] = EncodingAesKey,
        ["WeCom:ApiBase"] = wecom.BaseUrl,
    };

    public static WeChatCrypto Crypto(string token = Token) => new(token, EncodingAesKey, FakeWeCom.CorpId);

    /// <summary>Writes <paramref name="text"/>; the passive reply's text, or null when none came.</summary>
    public async Task<string?> SayAsync(string text, long? msgId = null, CancellationToken ct = default)
    {
        var (status, reply) = await PostAsync(Message(text, msgId), ct);
        Assert.Equal(HttpStatusCode.OK, status);
        return reply;
    }

    public string Message(string text, long? msgId = null) =>
        $"<xml><ToUserName><![CDATA[{FakeWeCom.CorpId}]]></ToUserName>" +
        $"<FromUserName><![CDATA[{userId}]]></FromUserName>" +
        $"<CreateTime>{Interlocked.Increment(ref _clock)}</CreateTime><MsgType><![CDATA[text]]></MsgType>" +
        $"<Content><![CDATA[{text}]]></Content><MsgId>{msgId ?? Interlocked.Increment(ref _messageIds)}</MsgId>" +
        $"<AgentID>{FakeWeCom.AgentId}</AgentID></xml>";

    /// <summary>
    /// Posts as WeCom does, sealed and signed (with another token if given) at <paramref name="sent"/> (now if not
    /// given); status and reply text.
    /// </summary>
    public async Task<(HttpStatusCode Status, string? Reply)> PostAsync(
        string xml, CancellationToken ct = default, string token = Token, DateTimeOffset? sent = null)
    {
        var at = sent ?? (time ?? TimeProvider.System).GetUtcNow();
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Random.Shared.Next().ToString(CultureInfo.InvariantCulture);
        var encrypt = Crypto().Encrypt(xml);
        var signature = WeChatCrypto.Signature(token, timestamp, nonce, encrypt);
        var url = $"/api/wecom?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}";
        var body = $"<xml><ToUserName><![CDATA[{FakeWeCom.CorpId}]]></ToUserName>" +
                   $"<Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID>{FakeWeCom.AgentId}</AgentID></xml>";
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "text/xml");
        using var response = await http.PostAsync(url, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK || text.Length == 0) return (response.StatusCode, null);
        // The reply is sealed and signed as WeCom checks it.
        var envelope = System.Xml.Linq.XElement.Parse(text);
        string Field(string name) => envelope.Element(name)!.Value;
        var reply = WeChatXml.Parse(Crypto().VerifyAndDecrypt(
            Field("MsgSignature"), Field("TimeStamp"), Field("Nonce"), Field("Encrypt")));
        Assert.Equal((userId, FakeWeCom.CorpId, "text"), (reply.ToUserName, reply.FromUserName, reply.MsgType));
        return (response.StatusCode, reply.Content);
    }
}
