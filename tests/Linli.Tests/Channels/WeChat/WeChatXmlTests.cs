using System.Xml.Linq;
using Linli.Channels.WeChat;

namespace Linli.Tests.Channels.WeChat;

/// <summary>
/// Reading pushes and writing passive replies. The samples are the ones of the Official Account's docs
/// (接收普通消息, 接收事件推送, 被动回复用户消息 at developers.weixin.qq.com/doc/offiaccount and
/// /doc/service).
/// </summary>
public sealed class WeChatXmlTests
{
    private static DateTimeOffset At(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    [Fact]
    public void TextMessage()
    {
        var m = WeChatXml.Parse("""
            <xml>
            <ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[fromUser]]></FromUserName>
            <CreateTime>1348831860</CreateTime>
            <MsgType><![CDATA[text]]></MsgType>
            <Content><![CDATA[this is a test]]></Content>
            <MsgId>1234567890123456</MsgId>
            </xml>
            """);
        Assert.Equal("toUser", m.ToUserName);
        Assert.Equal("fromUser", m.FromUserName);
        Assert.Equal(At(1348831860), m.CreateTime);
        Assert.Equal("text", m.MsgType);
        Assert.Equal("this is a test", m.Content);
        Assert.Equal(1234567890123456, m.MsgId);
        Assert.Null(m.Event);
        Assert.Null(m.AgentId);
        Assert.Equal("1234567890123456", m.DedupKey);
    }

    [Fact]
    public void ImageMessage()
    {
        var m = WeChatXml.Parse("""
            <xml>
            <ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[fromUser]]></FromUserName>
            <CreateTime>1348831860</CreateTime>
            <MsgType><![CDATA[image]]></MsgType>
            <PicUrl><![CDATA[this is a url]]></PicUrl>
            <MediaId><![CDATA[media_id]]></MediaId>
            <MsgId>1234567890123456</MsgId>
            </xml>
            """);
        Assert.Equal("image", m.MsgType);
        Assert.Equal("this is a url", m.PicUrl);
        Assert.Equal("media_id", m.MediaId);
        Assert.Null(m.Content);
    }

    [Fact]
    public void VoiceMessageWithRecognition()
    {
        var m = WeChatXml.Parse("""
            <xml>
            <ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[fromUser]]></FromUserName>
            <CreateTime>1357290913</CreateTime>
            <MsgType><![CDATA[voice]]></MsgType>
            <MediaId><![CDATA[media_id]]></MediaId>
            <Format><![CDATA[Format]]></Format>
            <Recognition><![CDATA[腾讯微信团队]]></Recognition>
            <MsgId>1234567890123456</MsgId>
            </xml>
            """);
        Assert.Equal("voice", m.MsgType);
        Assert.Equal("media_id", m.MediaId);
        Assert.Equal("Format", m.Format);
        Assert.Equal("腾讯微信团队", m.Recognition);
        Assert.Equal(At(1357290913), m.CreateTime);
    }

    [Fact]
    public void LocationMessage()
    {
        var m = WeChatXml.Parse("""
            <xml>
            <ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[fromUser]]></FromUserName>
            <CreateTime>1351776360</CreateTime>
            <MsgType><![CDATA[location]]></MsgType>
            <Location_X>23.134521</Location_X>
            <Location_Y>113.358803</Location_Y>
            <Scale>20</Scale>
            <Label><![CDATA[位置信息]]></Label>
            <MsgId>1234567890123456</MsgId>
            </xml>
            """);
        Assert.Equal("location", m.MsgType);
        Assert.Equal(23.134521, m.LocationX);
        Assert.Equal(113.358803, m.LocationY);
        Assert.Equal(20, m.Scale);
        Assert.Equal("位置信息", m.Label);
    }

    [Fact]
    public void LinkMessage()
    {
        var m = WeChatXml.Parse("""
            <xml>
            <ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[fromUser]]></FromUserName>
            <CreateTime>1351776360</CreateTime>
            <MsgType><![CDATA[link]]></MsgType>
            <Title><![CDATA[公众平台官网链接]]></Title>
            <Description><![CDATA[公众平台官网链接]]></Description>
            <Url><![CDATA[url]]></Url>
            <MsgId>1234567890123456</MsgId>
            </xml>
            """);
        Assert.Equal("link", m.MsgType);
        Assert.Equal("公众平台官网链接", m.Title);
        Assert.Equal("公众平台官网链接", m.Description);
        Assert.Equal("url", m.Url);
    }

    [Theory]
    [InlineData("subscribe")]
    [InlineData("unsubscribe")]
    public void FollowAndUnfollowEvents(string @event)
    {
        var m = WeChatXml.Parse($"""
            <xml>
            <ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[FromUser]]></FromUserName>
            <CreateTime>123456789</CreateTime>
            <MsgType><![CDATA[event]]></MsgType>
            <Event><![CDATA[{@event}]]></Event>
            </xml>
            """);
        Assert.Equal("event", m.MsgType);
        Assert.Equal(@event, m.Event);
        Assert.Null(m.MsgId);
        Assert.Null(m.EventKey);
        // Events carry no MsgId: the docs dedupe them on FromUserName + CreateTime; the event is named too.
        Assert.Equal($"FromUser|123456789|{@event}|", m.DedupKey);
    }

    [Fact]
    public void FollowFromAQrCode()
    {
        var m = WeChatXml.Parse("""
            <xml><ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[FromUser]]></FromUserName>
            <CreateTime>123456789</CreateTime>
            <MsgType><![CDATA[event]]></MsgType>
            <Event><![CDATA[subscribe]]></Event>
            <EventKey><![CDATA[qrscene_123123]]></EventKey>
            <Ticket><![CDATA[TICKET]]></Ticket>
            </xml>
            """);
        Assert.Equal("qrscene_123123", m.EventKey);
        Assert.Equal("TICKET", m.Ticket);
    }

    [Theory]
    [InlineData("CLICK", "EVENTKEY")]
    [InlineData("VIEW", "www.qq.com")]
    public void MenuEvents(string @event, string key)
    {
        var m = WeChatXml.Parse($"""
            <xml>
            <ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[FromUser]]></FromUserName>
            <CreateTime>123456789</CreateTime>
            <MsgType><![CDATA[event]]></MsgType>
            <Event><![CDATA[{@event}]]></Event>
            <EventKey><![CDATA[{key}]]></EventKey>
            </xml>
            """);
        Assert.Equal(@event, m.Event);
        Assert.Equal(key, m.EventKey);
    }

    [Fact]
    public void WeComTextMessageCarriesItsAgent()
    {
        var m = WeChatXml.Parse("""
            <xml>
            <ToUserName><![CDATA[toUser]]></ToUserName>
            <FromUserName><![CDATA[fromUser]]></FromUserName>
            <CreateTime>1348831860</CreateTime>
            <MsgType><![CDATA[text]]></MsgType>
            <Content><![CDATA[this is a test]]></Content>
            <MsgId>1234567890123456</MsgId>
            <AgentID>1</AgentID>
            </xml>
            """);
        Assert.Equal(1, m.AgentId);
    }

    [Fact]
    public void SafeModeEnvelopes()
    {
        var mp = WeChatXml.ParseEnvelope(
            "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>");
        Assert.Equal(new WeChatEnvelope("gh_97417a04a28d", "abc+/=", null), mp);

        var weCom = WeChatXml.ParseEnvelope("""
            <xml>
            <ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>
            <Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo]]></Encrypt>
            <AgentID><![CDATA[218]]></AgentID>
            </xml>
            """);
        Assert.Equal(new WeChatEnvelope("wx5823bf96d3bd56c7", "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo", 218), weCom);

        Assert.Throws<WeChatFormatException>(() =>
            WeChatXml.ParseEnvelope("<xml><ToUserName><![CDATA[gh_1]]></ToUserName></xml>"));
    }

    [Fact]
    public void ExternalEntitiesAreRefused()
    {
        var secret = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secret, "top secret");
            var xxe = $"""
                <?xml version="1.0"?>
                <!DOCTYPE xml [<!ENTITY xxe SYSTEM "file://{secret}">]>
                <xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>
                <MsgType>text</MsgType><Content>&xxe;</Content></xml>
                """;
            Assert.Throws<WeChatFormatException>(() => WeChatXml.Parse(xxe));
            Assert.Throws<WeChatFormatException>(() => WeChatXml.ParseEnvelope(xxe));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void EntityExpansionIsRefused()
    {
        const string laughs = """
            <!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
            <xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>
            <MsgType>text</MsgType><Content>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</Content></xml>
            """;
        Assert.Throws<WeChatFormatException>(() => WeChatXml.Parse(laughs));
    }

    [Fact]
    public void OversizedBodiesAreRefusedUnread()
    {
        static string Body(int contentChars) =>
            "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
            + "<MsgType>text</MsgType><Content>" + new string('x', contentChars) + "</Content></xml>";
        var frame = Body(0).Length;
        Assert.Equal(WeChatXml.MaxChars - frame, WeChatXml.Parse(Body(WeChatXml.MaxChars - frame)).Content!.Length);
        Assert.Throws<WeChatFormatException>(() => WeChatXml.Parse(Body(WeChatXml.MaxChars - frame + 1)));
        Assert.Throws<WeChatFormatException>(() => WeChatXml.Parse(Body(10_000_000)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not xml")]
    [InlineData("<xml><ToUserName>a</ToUserName>")]
    [InlineData("<root><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
        + "<MsgType>text</MsgType></root>")]
    [InlineData("<xml><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>soon</CreateTime>"
        + "<MsgType>text</MsgType></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>"
        + "<CreateTime>99999999999999999</CreateTime><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
        + "<MsgType>text</MsgType><MsgId>12a</MsgId></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
        + "<MsgType>location</MsgType><Location_X>NaN</Location_X></xml>")]
    public void MalformedBodiesThrowOneExceptionType(string xml) =>
        Assert.Throws<WeChatFormatException>(() => WeChatXml.Parse(xml));

    [Fact]
    public void NothingButWeChatFormatExceptionEverEscapesParse()
    {
        const string seed = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
            + "<CreateTime>1348831860</CreateTime><MsgType><![CDATA[location]]></MsgType><Location_X>23.1</Location_X>"
            + "<Scale>20</Scale><MsgId>1234567890123456</MsgId><AgentID>1</AgentID></xml>";
        var random = new Random(20260612);
        for (var i = 0; i < 5000; i++)
        {
            var chars = seed.ToCharArray();
            for (var n = random.Next(1, 4); n > 0; n--) chars[random.Next(chars.Length)] = (char)random.Next(0, 0x3000);
            var text = new string(chars)[..random.Next(seed.Length + 1)];
            try
            {
                WeChatXml.Parse(text);
            }
            catch (Exception ex)
            {
                Assert.IsType<WeChatFormatException>(ex);
            }
        }
    }

    [Fact]
    public void TextReplyIsTheDocumentedShape()
    {
        Assert.Equal("<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName>"
            + "<CreateTime>12345678</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            + "<Content><![CDATA[你好]]></Content></xml>",
            WeChatXml.TextReply("toUser", "fromUser", At(12345678), "你好"));
    }

    [Fact]
    public void TextReplyRoundTripsThroughTheParser()
    {
        var reply = WeChatXml.TextReply("o9AgO5Kd5ggOC-bXrbNODIiE3bGY", "gh_97417a04a28d", At(1714112445),
            "已为您登记报修：3栋502 厨房漏水。\n师傅明早 9:00 上门。");
        var read = WeChatXml.Parse(reply);
        Assert.Equal("o9AgO5Kd5ggOC-bXrbNODIiE3bGY", read.ToUserName);
        Assert.Equal("gh_97417a04a28d", read.FromUserName);
        Assert.Equal(At(1714112445), read.CreateTime);
        Assert.Equal("text", read.MsgType);
        Assert.Equal("已为您登记报修：3栋502 厨房漏水。\n师傅明早 9:00 上门。", read.Content);
    }

    [Theory]
    [InlineData("a]]>b")]
    [InlineData("]]>")]
    [InlineData("]]]]>>]]>")]
    [InlineData("<![CDATA[x]]></Content><MsgType>news</MsgType>")]
    [InlineData("&lt; & <b> \"'")]
    public void ContentThatLooksLikeMarkupSurvivesExactly(string content)
    {
        var reply = WeChatXml.TextReply("to", "from", At(1), content);
        var read = WeChatXml.Parse(reply);
        Assert.Equal(content, read.Content);
        Assert.Equal("text", read.MsgType);
    }

    [Fact]
    public void CharactersXmlCannotCarryAreDroppedNotFatal()
    {
        var read = WeChatXml.Parse(WeChatXml.TextReply("to", "from", At(1), "a\u0001b\u0000c\ud800d😀e"));
        Assert.Equal("abcd😀e", read.Content);
    }

    [Fact]
    public void ImageAndNewsRepliesAreWellFormed()
    {
        var image = XElement.Parse(WeChatXml.ImageReply("to", "from", At(12345678), "media_id"));
        Assert.Equal("image", image.Element("MsgType")!.Value);
        Assert.Equal("media_id", image.Element("Image")!.Element("MediaId")!.Value);

        var article = new WeChatArticle(
            "停水通知]]>", "明天 9:00–12:00",
            "https://linli.example.org/a.png", "https://linli.example.org/n/1");
        var news = XElement.Parse(WeChatXml.NewsReply("to", "from", At(12345678), [article]));
        Assert.Equal("news", news.Element("MsgType")!.Value);
        Assert.Equal("1", news.Element("ArticleCount")!.Value);
        var item = news.Element("Articles")!.Element("item")!;
        Assert.Equal("停水通知]]>", item.Element("Title")!.Value);
        Assert.Equal("https://linli.example.org/n/1", item.Element("Url")!.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => WeChatXml.NewsReply("to", "from", At(1), []));
    }
}
