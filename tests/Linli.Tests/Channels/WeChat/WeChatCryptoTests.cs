using System.Text;
using Linli.Channels.WeChat;

namespace Linli.Tests.Channels.WeChat;

/// <summary>
/// The safe-mode cipher and signatures against the examples WeChat and WeCom publish, against ciphertext made
/// independently with <c>openssl enc -aes-256-cbc -nopad</c>, and against every way a payload can be wrong.
/// </summary>
public sealed class WeChatCryptoTests
{
    // The worked example of 消息推送
    // (developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html), the same scheme as the
    // Official Account's 消息加解密.
    private const string MpToken = "AAAAA";
    private const string MpKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string MpAppId = "wxba5fad812f8e6fb9";
    private const string MpEncrypt =
        "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsX"
        + "UnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajA"
        + "sjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";

    // The sample of WeCom's 加解密库 (Sample.cs/.py/.java of WXBizMsgCrypt), its 加解密方案说明 at
    // developer.work.weixin.qq.com/document/path/91144.
    private const string WeComToken = "QDG6eK";
    private const string WeComKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private const string WeComCorpId = "wx5823bf96d3bd56c7";
    private const string WeComEncrypt =
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvu"
        + "JTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwG"
        + "c2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9"
        + "EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0"
        + "lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

    // Made with openssl (AES-256-CBC, -nopad, IV = first 16 key bytes) over bytes 00..0f ‖ length ‖ message ‖
    // AppId.
    private const string OpensslKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private const string OpensslAppId = "wx0123456789abcdef";
    private const string OpensslMessage = "<xml><Content><![CDATA[3栋502 漏水，请尽快]]></Content></xml>";
    private const string OpensslPrefix =
        "IG+0eOkLdhYW9kHtuT3HY8UlRyc6avwbdGd49KA2IS82FlsaRh0wi2yLN5EPIDcoTP6hXdQq9pMC4Kk3L/yANdQLyf7msoiDb2FVySCpszAY"
        + "8Ca3hw3bOusyR5hc7Mk68lWGaH6p0L5unGMylMnMD";
    private const string OpensslEncrypt = OpensslPrefix + "6RhyIF3VX27r4UFEwtxp+8=";

    private static WeChatCrypto Mp() => new(MpToken, MpKey, MpAppId);
    private static WeChatCrypto WeCom() => new(WeComToken, WeComKey, WeComCorpId);
    private static WeChatCrypto Openssl(string appId = OpensslAppId) => new("token", OpensslKey, appId);

    [Fact]
    public void PlainModeSignatureIsTheOfficialExample()
    {
        Assert.Equal("899cf89e464efb63f54ddac96b0a0a235f53aa78",
            WeChatCrypto.Signature(MpToken, "1714037059", "486452656"));
        Assert.True(Mp().IsValidSignature("899cf89e464efb63f54ddac96b0a0a235f53aa78", "1714037059", "486452656"));
        // The URL check of the same page.
        Assert.True(Mp().IsValidSignature("f464b24fc39322e44b38aa78f5edd27bd1441696", "1714036504", "1514711492"));
    }

    [Fact]
    public void WrongOrMissingSignaturesAreRefused()
    {
        var mp = Mp();
        Assert.False(mp.IsValidSignature("899cf89e464efb63f54ddac96b0a0a235f53aa79", "1714037059", "486452656"));
        Assert.False(mp.IsValidSignature("899cf89e464efb63f54ddac96b0a0a235f53aa78", "1714037060", "486452656"));
        Assert.False(mp.IsValidSignature(null, "1714037059", "486452656"));
        Assert.False(mp.IsValidSignature("899cf89e464efb63f54ddac96b0a0a235f53aa78", null, "486452656"));
        Assert.False(mp.IsValidSignature("", "1714037059", "486452656"));
        Assert.True(mp.IsValidSignature("899CF89E464EFB63F54DDAC96B0A0A235F53AA78", "1714037059", "486452656"));
        Assert.False(WeChatCrypto.SignatureEquals("abc", "abcd"));
    }

    [Fact]
    public void OfficialSafeModeExampleVerifiesAndDecrypts()
    {
        var mp = Mp();
        Assert.Equal("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3",
            WeChatCrypto.Signature(MpToken, "1714112445", "415670741", MpEncrypt));
        var message = mp.VerifyAndDecrypt(
            "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3", "1714112445", "415670741", MpEncrypt);
        Assert.Equal("{\"ToUserName\":\"gh_97417a04a28d\",\"FromUserName\":\"o9AgO5Kd5ggOC-bXrbNODIiE3bGY\","
            + "\"CreateTime\":1714112445,\"MsgType\":\"event\",\"Event\":\"debug_demo\",\"debug_str\":\"hello world\"}",
            message);
    }

    [Fact]
    public void OfficialReplyExampleIsMetByteForByte()
    {
        // The page's reply: random "707722b803182950", TimeStamp 1713424427, Nonce 415670741.
        var random = Encoding.ASCII.GetBytes("707722b803182950");
        var mp = Mp();
        Assert.Equal("ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==",
            mp.Encrypt("{\"demo_resp\":\"good luck\"}", random));

        var envelope = mp.EncryptReply("{\"demo_resp\":\"good luck\"}", "1713424427", "415670741", random);
        Assert.Equal("<xml><Encrypt><![CDATA[ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hy"
            + "Rbtzve1L32tmxSQ==]]></Encrypt>"
            + "<MsgSignature><![CDATA[1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1]]></MsgSignature>"
            + "<TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>", envelope);
    }

    [Fact]
    public void WeComUrlCheckSampleGivesBackItsEcho()
    {
        const string echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
        Assert.Equal("1616140317555161061",
            WeCom().VerifyAndDecrypt("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", echo));
    }

    [Fact]
    public void WeComMessageSampleOpensToATextMessageOfAgent218()
    {
        var xml = WeCom().VerifyAndDecrypt("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149",
            WeComEncrypt);
        var message = WeChatXml.Parse(xml);
        Assert.Equal(WeComCorpId, message.ToUserName);
        Assert.Equal("mycreate", message.FromUserName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1409659813), message.CreateTime);
        Assert.Equal("text", message.MsgType);
        Assert.Equal("hello", message.Content);
        Assert.Equal(4561255354251345929, message.MsgId);
        Assert.Equal(218, message.AgentId);
    }

    [Fact]
    public void OpensslCiphertextDecryptsAndOurCiphertextMatchesIt()
    {
        var crypto = Openssl();
        Assert.Equal(OpensslMessage, crypto.Decrypt(OpensslEncrypt));
        var random = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        Assert.Equal(OpensslEncrypt, crypto.Encrypt(OpensslMessage, random));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(1000)]
    public void MessagesOfEveryLengthRoundTrip(int bytes)
    {
        var message = new string('邻', bytes / 3) + new string('a', bytes % 3);
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(message));
        foreach (var crypto in new[] { Mp(), WeCom(), new WeChatCrypto("t", MpKey, "") })
        {
            var sealedText = crypto.Encrypt(message);
            Assert.Equal(0, Convert.FromBase64String(sealedText).Length % 32);
            Assert.Equal(message, crypto.Decrypt(sealedText));
        }
    }

    [Fact]
    public void EncryptingTwiceGivesDifferentCiphertext()
    {
        var mp = Mp();
        Assert.NotEqual(mp.Encrypt("同一句话"), mp.Encrypt("同一句话"));
    }

    [Fact]
    public void AReplyEnvelopeOpensWithItsOwnSignature()
    {
        var mp = Mp();
        var reply = WeChatXml.TextReply("o9AgO5Kd5ggOC-bXrbNODIiE3bGY", "gh_97417a04a28d",
            DateTimeOffset.FromUnixTimeSeconds(1713424427), "收到，师傅明早九点上门。");
        var envelope = mp.EncryptReply(reply, "1713424427", "415670741");
        var outer = WeChatXml.ParseEnvelope(envelope);
        var doc = System.Xml.Linq.XElement.Parse(envelope);
        Assert.Equal(reply, mp.VerifyAndDecrypt(doc.Element("MsgSignature")!.Value, doc.Element("TimeStamp")!.Value,
            doc.Element("Nonce")!.Value, outer.Encrypt));
        Assert.Throws<ArgumentException>(() => mp.EncryptReply(reply, "17134<x/>", "1"));
    }

    [Fact]
    public void AMessageSealedForAnotherAccountIsRefused()
    {
        var ex = Assert.Throws<WeChatCryptoException>(() => Openssl("wx0123456789abcdee").Decrypt(OpensslEncrypt));
        Assert.Equal(WeChatCryptoFailure.WrongReceiveId, ex.Reason);
        ex = Assert.Throws<WeChatCryptoException>(() => Openssl("wx0123456789abcdef0").Decrypt(OpensslEncrypt));
        Assert.Equal(WeChatCryptoFailure.WrongReceiveId, ex.Reason);
        // The right key of the right account still says no to the other account's text.
        ex = Assert.Throws<WeChatCryptoException>(() => new WeChatCrypto(MpToken, MpKey, "wx0000000000000000")
            .Decrypt(MpEncrypt));
        Assert.Equal(WeChatCryptoFailure.WrongReceiveId, ex.Reason);
    }

    [Theory]
    [InlineData(OpensslPrefix + "/C2YlssEtT2vtWtfczGgxU=")] // last byte 33
    [InlineData(OpensslPrefix + "y8ZmN/VgZRkmSJZ0rc9VfM=")] // last byte 0
    [InlineData(OpensslPrefix + "xIjX/O0y0GyY8yiAm05VlU=")] // last byte 22, the one before it 23
    public void PaddingOtherThanPkcs7To32IsRefused(string encrypt)
    {
        var ex = Assert.Throws<WeChatCryptoException>(() => Openssl().Decrypt(encrypt));
        Assert.Equal(WeChatCryptoFailure.BadPadding, ex.Reason);
    }

    [Fact]
    public void ALengthRunningPastTheEndIsRefused()
    {
        const string encrypt = "IG+0eOkLdhYW9kHtuT3HY9afOQ9VtRKKOwUNSPMDcUgM/2r0+RunlN5Y1ZZpkz7BiinXpugBzg1JNi"
            + "AC6Pv5hBSH5UUT97wFDYbaz7AEARxwTjW3WHBCIlyM1aH7W6/HY0ZhbO++Om5OgmUcEHWnDXKKYRDJGy23I0ErAsox2lk=";
        var ex = Assert.Throws<WeChatCryptoException>(() => Openssl().Decrypt(encrypt));
        Assert.Equal(WeChatCryptoFailure.BadMessageLength, ex.Reason);
    }

    [Fact]
    public void TamperedCiphertextIsRefused()
    {
        var bytes = Convert.FromBase64String(WeComEncrypt);
        foreach (var at in new[] { 0, 1, bytes.Length - 17, bytes.Length - 1 })
        {
            var tampered = bytes.ToArray();
            tampered[at] ^= 0x01;
            var text = Convert.ToBase64String(tampered);
            Assert.Throws<WeChatCryptoException>(() => WeCom().Decrypt(text));
            var ex = Assert.Throws<WeChatCryptoException>(() => WeCom().VerifyAndDecrypt(
                "477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", text));
            Assert.Equal(WeChatCryptoFailure.BadSignature, ex.Reason);
        }
    }

    [Theory]
    [InlineData(1, WeChatCryptoFailure.BadBase64)] // no longer base64
    [InlineData(4, WeChatCryptoFailure.BadLength)] // base64, but a byte short of whole blocks
    public void TruncatedTextIsRefused(int charsCut, WeChatCryptoFailure reason)
    {
        var ex = Assert.Throws<WeChatCryptoException>(() => WeCom().Decrypt(WeComEncrypt[..^charsCut]));
        Assert.Equal(reason, ex.Reason);
    }

    [Theory]
    [InlineData(16, WeChatCryptoFailure.BadPadding)] // a block gone: the "pad" is now the padding's own first half
    [InlineData(32, WeChatCryptoFailure.BadPadding)] // two gone: the last byte is the CorpId's '6'
    [InlineData(336, WeChatCryptoFailure.BadLength)] // one block left: too short for any message
    public void CiphertextCutAtABlockIsRefused(int bytesCut, WeChatCryptoFailure reason)
    {
        var bytes = Convert.FromBase64String(WeComEncrypt);
        var ex = Assert.Throws<WeChatCryptoException>(() =>
            WeCom().Decrypt(Convert.ToBase64String(bytes[..^bytesCut])));
        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public void NothingButWeChatCryptoExceptionEverEscapesDecrypt()
    {
        var random = new Random(20260611);
        var crypto = WeCom();
        var inputs = new List<string> { "", " ", "====", "AAAA", "%%%%", new('A', 4096), WeComEncrypt + "A" };
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            inputs.Add(Convert.ToBase64String(bytes));
            var chars = WeComEncrypt.ToCharArray();
            chars[random.Next(chars.Length)] = (char)random.Next(0x20, 0x7f);
            inputs.Add(new string(chars));
        }
        foreach (var input in inputs)
        {
            try
            {
                crypto.Decrypt(input);
            }
            catch (Exception ex)
            {
                Assert.IsType<WeChatCryptoException>(ex);
            }
        }
        Assert.Throws<WeChatCryptoException>(() => crypto.Decrypt(null!));
    }

    [Fact]
    public void AKeyThatIsNot43Base64CharactersIsAConfigurationError()
    {
        Assert.Throws<ArgumentException>(() => new WeChatCrypto("t", MpKey[..42], MpAppId));
        Assert.Throws<ArgumentException>(() => new WeChatCrypto("t", MpKey + "A", MpAppId));
        Assert.Throws<ArgumentException>(() => new WeChatCrypto("t", "!" + MpKey[1..], MpAppId));
        Assert.Throws<ArgumentException>(() => new WeChatCrypto("", MpKey, MpAppId));
    }
}
