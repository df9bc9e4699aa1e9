using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Linli.Channels.WeChat;

/// <summary>
/// Reads the XML WeChat and WeCom push, and writes passive replies (被动回复). Bodies come from the internet before
/// any signature is checked, so the reader takes no DTD (no entity expansion, no external entities) and no more
/// than <see cref="MaxChars"/>.
/// </summary>
public static class WeChatXml
{
    /// <summary>
    /// The largest body read. A text message is at most a few KB, its safe-mode envelope about a third more; 64K
    /// leaves room without letting a stranger make the parser hold megabytes.
    /// </summary>
    public const int MaxChars = 64 * 1024;

    private const int MaxArticles = 8;

    /// <exception cref="WeChatFormatException">
    /// Not well-formed, too long, has a DTD, root is not &lt;xml&gt;, a required field (ToUserName, FromUserName,
    /// CreateTime, MsgType) is missing, or a number field is not a number.
    /// </exception>
    public static WeChatMessage Parse(string xml)
    {
        var root = Load(xml);
        return new WeChatMessage
        {
            ToUserName = Required(root, "ToUserName"),
            FromUserName = Required(root, "FromUserName"),
            CreateTime = UnixTime(root, "CreateTime"),
            MsgType = Required(root, "MsgType"),
            MsgId = Integer(root, "MsgId"),
            Content = Text(root, "Content"),
            PicUrl = Text(root, "PicUrl"),
            MediaId = Text(root, "MediaId"),
            Format = Text(root, "Format"),
            Recognition = Text(root, "Recognition"),
            LocationX = Decimal(root, "Location_X"),
            LocationY = Decimal(root, "Location_Y"),
            Scale = SmallInteger(root, "Scale"),
            Label = Text(root, "Label"),
            Title = Text(root, "Title"),
            Description = Text(root, "Description"),
            Url = Text(root, "Url"),
            Event = Text(root, "Event"),
            EventKey = Text(root, "EventKey"),
            Ticket = Text(root, "Ticket"),
            AgentId = SmallInteger(root, "AgentID"),
        };
    }

    /// <summary>
    /// The outer body of a safe-mode push, <c>&lt;xml&gt;&lt;ToUserName/&gt;&lt;Encrypt/&gt;&lt;/xml&gt;</c>.
    /// </summary>
    /// <exception cref="WeChatFormatException">As <see cref="Parse"/>; Encrypt is the one required field.</exception>
    public static WeChatEnvelope ParseEnvelope(string xml)
    {
        var root = Load(xml);
        var encrypt = Required(root, "Encrypt");
        return new WeChatEnvelope(Text(root, "ToUserName"), encrypt, SmallInteger(root, "AgentID"));
    }

    /// <summary>A text reply. <paramref name="toUser"/> is the sender of the message answered.</summary>
    public static string TextReply(string toUser, string fromUser, DateTimeOffset createTime, string content) =>
        Reply(toUser, fromUser, createTime, "text", "<Content>" + Cdata(content) + "</Content>");

    /// <summary>An image reply, of media uploaded beforehand (素材管理).</summary>
    public static string ImageReply(string toUser, string fromUser, DateTimeOffset createTime, string mediaId) =>
        Reply(toUser, fromUser, createTime, "image", "<Image><MediaId>" + Cdata(mediaId) + "</MediaId></Image>");

    /// <summary>
    /// A news (图文) reply. WeChat shows one article in answer to a user's message and up to eight otherwise.
    /// </summary>
    public static string NewsReply(
        string toUser, string fromUser, DateTimeOffset createTime, IReadOnlyList<WeChatArticle> articles)
    {
        if (articles.Count is < 1 or > MaxArticles)
            throw new ArgumentOutOfRangeException(nameof(articles), $"A news reply has 1 to {MaxArticles} articles.");
        var body = new StringBuilder("<ArticleCount>")
            .Append(articles.Count.ToString(CultureInfo.InvariantCulture)).Append("</ArticleCount><Articles>");
        foreach (var a in articles)
        {
            body.Append("<item><Title>").Append(Cdata(a.Title)).Append("</Title><Description>")
                .Append(Cdata(a.Description)).Append("</Description><PicUrl>").Append(Cdata(a.PicUrl))
                .Append("</PicUrl><Url>").Append(Cdata(a.Url)).Append("</Url></item>");
        }
        return Reply(toUser, fromUser, createTime, "news", body.Append("</Articles>").ToString());
    }

    private static string Reply(string toUser, string fromUser, DateTimeOffset createTime, string type, string body) =>
        "<xml><ToUserName>" + Cdata(toUser) + "</ToUserName><FromUserName>" + Cdata(fromUser) + "</FromUserName>"
        + "<CreateTime>" + createTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "</CreateTime>"
        + "<MsgType>" + Cdata(type) + "</MsgType>" + body + "</xml>";

    /// <summary>
    /// <paramref name="text"/> as CDATA, the form WeChat's samples use. A CDATA section cannot hold "]]&gt;", so
    /// one is split across two sections; characters XML cannot carry at all (most C0 controls, lone surrogates)
    /// are dropped, since one would make WeChat refuse the whole reply.
    /// </summary>
    internal static string Cdata(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "<![CDATA[" + XmlChars(text).Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal) + "]]>";
    }

    private static string XmlChars(string text)
    {
        StringBuilder? kept = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                kept?.Append(c);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                kept?.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                kept ??= new StringBuilder(text.Length).Append(text, 0, i);
            }
        }
        return kept?.ToString() ?? text;
    }

    private static XElement Load(string xml)
    {
        if (string.IsNullOrWhiteSpace(xml)) throw new WeChatFormatException("The body is empty.");
        if (xml.Length > MaxChars) throw new WeChatFormatException($"The body is over {MaxChars} characters.");
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxChars,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        XElement? root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            root = XDocument.Load(reader).Root;
        }
        catch (XmlException ex)
        {
            throw new WeChatFormatException("The body is not well-formed XML: " + ex.Message, ex);
        }
        if (root is null || root.Name != "xml") throw new WeChatFormatException("The root element is not <xml>.");
        return root;
    }

    /// <summary>The element's text (CDATA sections joined), or null when absent.</summary>
    private static string? Text(XElement root, string name) => root.Element(name)?.Value;

    private static string Required(XElement root, string name) =>
        Text(root, name) is { Length: > 0 } value ? value : throw new WeChatFormatException($"{name} is missing.");

    private static long? Integer(XElement root, string name) =>
        Text(root, name) is not { } text ? null
        : long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new WeChatFormatException($"{name} is not an integer.");

    private static int? SmallInteger(XElement root, string name) =>
        Integer(root, name) is not { } value ? null
        : value is >= int.MinValue and <= int.MaxValue ? (int)value
        : throw new WeChatFormatException($"{name} is out of range.");

    private static double? Decimal(XElement root, string name) =>
        Text(root, name) is not { } text ? null
        : double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value)
            ? value
            : throw new WeChatFormatException($"{name} is not a number.");

    private static DateTimeOffset UnixTime(XElement root, string name)
    {
        var seconds = Integer(root, name) ?? throw new WeChatFormatException($"{name} is missing.");
        try
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new WeChatFormatException($"{name} is out of range.");
        }
    }
}
