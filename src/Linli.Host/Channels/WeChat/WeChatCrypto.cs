using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Linli.Channels.WeChat;

/// <summary>
/// Signatures and the safe-mode (安全模式) cipher shared by Official Accounts and WeCom apps: one scheme, keyed by the
/// account's token and EncodingAESKey and bound to its receive id (the AppId of an Official Account, the CorpId of a
/// WeCom app). Written from the published description, as no SDK is available.
/// </summary>
/// <remarks>
/// Ciphertext = AES-256-CBC(key, IV = first 16 bytes of the key) of
/// <c>16 random bytes ‖ message length (4 bytes, big-endian) ‖ message (UTF-8) ‖ receive id</c>, padded PKCS#7-style
/// to a multiple of 32 bytes (not AES's 16, hence padding by hand and no padding at the cipher). Check the signature
/// before decrypting: the pad check answers differently for different tampering, which must not be reachable
/// without the token.
/// </remarks>
public sealed class WeChatCrypto
{
    private const int RandomLength = 16;
    private const int HeaderLength = RandomLength + 4;
    private const int PadBlock = 32;

    /// <summary>Fails on bytes that are not UTF-8 instead of turning them into U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 =
        new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _token;
    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly byte[] _receiveId;

    /// <param name="token">The Token set in the admin console; signs every callback.</param>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey: the AES key in base64 without its one '='.</param>
    /// <param name="receiveId">AppId (公众号) or CorpId (WeCom; a suite id or "" in the cases WeCom documents).</param>
    /// <exception cref="ArgumentException">The key is not 43 characters of base64 that decode to 32 bytes.</exception>
    public WeChatCrypto(string token, string encodingAesKey, string receiveId)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(encodingAesKey);
        ArgumentNullException.ThrowIfNull(receiveId);
        var key = new byte[33];
        if (encodingAesKey.Length != 43
            || !Convert.TryFromBase64String(encodingAesKey + "=", key, out var written) || written != 32)
            throw new ArgumentException("EncodingAESKey must be 43 base64 characters (a 32-byte key).",
                nameof(encodingAesKey));
        _token = token;
        _key = key[..32];
        _iv = _key[..16];
        _receiveId = Encoding.UTF8.GetBytes(receiveId);
        ReceiveId = receiveId;
    }

    public string ReceiveId { get; }

    /// <summary>
    /// SHA-1, lowercase hex, of <paramref name="parts"/> sorted ordinally and joined: (token, timestamp, nonce) for
    /// plain mode's <c>signature</c>, with the ciphertext as a fourth part for safe mode's <c>msg_signature</c>.
    /// </summary>
    public static string Signature(params string[] parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
    }

    /// <summary>
    /// Whether <paramref name="presented"/> is <paramref name="expected"/>, in time that does not depend on where they
    /// differ. Hex case is ignored: it carries nothing.
    /// </summary>
    public static bool SignatureEquals(string expected, string? presented) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected.ToLowerInvariant()),
            Encoding.ASCII.GetBytes(presented.ToLowerInvariant()));

    /// <summary>Plain mode (明文模式) and the 公众号 URL check: <c>signature</c> over token, timestamp, nonce.</summary>
    public bool IsValidSignature(string? signature, string? timestamp, string? nonce) =>
        timestamp is not null && nonce is not null && SignatureEquals(Signature(_token, timestamp, nonce), signature);

    /// <summary>Safe mode: <c>msg_signature</c> over token, timestamp, nonce and the ciphertext.</summary>
    public bool IsValidMessageSignature(string? msgSignature, string? timestamp, string? nonce, string? encrypt) =>
        timestamp is not null && nonce is not null && encrypt is not null
        && SignatureEquals(Signature(_token, timestamp, nonce, encrypt), msgSignature);

    /// <summary>
    /// Checks <c>msg_signature</c>, then decrypts: a callback's Encrypt, or a WeCom URL check's <c>echostr</c>.
    /// </summary>
    /// <exception cref="WeChatCryptoException">Any failure, the signature included.</exception>
    public string VerifyAndDecrypt(string? msgSignature, string? timestamp, string? nonce, string? encrypt)
    {
        if (!IsValidMessageSignature(msgSignature, timestamp, nonce, encrypt))
            throw new WeChatCryptoException(WeChatCryptoFailure.BadSignature, "msg_signature does not match.");
        return Decrypt(encrypt!);
    }

    /// <summary>The message sealed in <paramref name="encryptBase64"/>, once it proves to be sealed for us.</summary>
    /// <exception cref="WeChatCryptoException">Any failure; nothing else escapes.</exception>
    public string Decrypt(string encryptBase64)
    {
        if (string.IsNullOrEmpty(encryptBase64)) throw Fail(WeChatCryptoFailure.BadLength, "Empty ciphertext.");
        var cipher = new byte[encryptBase64.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(encryptBase64, cipher, out var length))
            throw Fail(WeChatCryptoFailure.BadBase64, "Ciphertext is not base64.");
        if (length < PadBlock || length % 16 != 0)
            throw Fail(WeChatCryptoFailure.BadLength, $"Ciphertext of {length} bytes is not whole AES blocks.");

        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            plain = aes.DecryptCbc(cipher.AsSpan(0, length), _iv, PaddingMode.None);
        }

        var pad = plain[^1];
        if (pad is < 1 or > PadBlock || plain.AsSpan(plain.Length - pad).IndexOfAnyExcept(pad) >= 0)
            throw Fail(WeChatCryptoFailure.BadPadding, "Padding is not PKCS#7 to 32 bytes.");
        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < HeaderLength)
            throw Fail(WeChatCryptoFailure.BadMessageLength, "Too short for the random bytes and the length.");
        var messageLength = BinaryPrimitives.ReadUInt32BigEndian(content[RandomLength..HeaderLength]);
        if (messageLength > (uint)(content.Length - HeaderLength))
            throw Fail(WeChatCryptoFailure.BadMessageLength, "Message length runs past the end.");
        var message = content.Slice(HeaderLength, (int)messageLength);
        if (!CryptographicOperations.FixedTimeEquals(content[(HeaderLength + (int)messageLength)..], _receiveId))
            throw Fail(WeChatCryptoFailure.WrongReceiveId, "Sealed for another AppId/CorpId.");
        try
        {
            return StrictUtf8.GetString(message);
        }
        catch (DecoderFallbackException)
        {
            throw Fail(WeChatCryptoFailure.BadText, "Message is not UTF-8.");
        }
    }

    /// <summary>Seals <paramref name="message"/> for WeChat, behind 16 fresh random bytes.</summary>
    public string Encrypt(string message) => Encrypt(message, RandomNumberGenerator.GetBytes(RandomLength));

    /// <summary>Seals behind the given 16 bytes: only tests choose them, to meet a published ciphertext.</summary>
    internal string Encrypt(string message, ReadOnlySpan<byte> random)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (random.Length != RandomLength) throw new ArgumentException("16 random bytes are needed.", nameof(random));
        // Lenient here: a lone surrogate in a reply becomes U+FFFD rather than failing the answer.
        var messageLength = Encoding.UTF8.GetByteCount(message);
        var length = HeaderLength + messageLength + _receiveId.Length;
        var pad = PadBlock - length % PadBlock;
        var plain = new byte[length + pad];
        random.CopyTo(plain);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(RandomLength), (uint)messageLength);
        Encoding.UTF8.GetBytes(message, plain.AsSpan(HeaderLength));
        _receiveId.CopyTo(plain, HeaderLength + messageLength);
        plain.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _iv, PaddingMode.None));
    }

    /// <summary>
    /// A passive reply for safe mode: <paramref name="replyXml"/> sealed, signed, and wrapped in the envelope
    /// WeChat expects,
    /// <c>&lt;xml&gt;&lt;Encrypt/&gt;&lt;MsgSignature/&gt;&lt;TimeStamp/&gt;&lt;Nonce/&gt;&lt;/xml&gt;</c>.
    /// </summary>
    /// <param name="timestamp">Unix seconds, as digits; signed exactly as written.</param>
    /// <param name="nonce">Usually the nonce of the request being answered.</param>
    public string EncryptReply(string replyXml, string timestamp, string nonce) =>
        Envelope(Encrypt(replyXml), timestamp, nonce);

    internal string EncryptReply(string replyXml, string timestamp, string nonce, ReadOnlySpan<byte> random) =>
        Envelope(Encrypt(replyXml, random), timestamp, nonce);

    private string Envelope(string encrypt, string timestamp, string nonce)
    {
        // The timestamp goes in bare, as in WeChat's sample, so it may hold nothing but digits.
        if (timestamp.Length == 0 || !timestamp.All(char.IsAsciiDigit))
            throw new ArgumentException("The timestamp must be unix seconds.", nameof(timestamp));
        ArgumentNullException.ThrowIfNull(nonce);
        return "<xml><Encrypt>" + WeChatXml.Cdata(encrypt) + "</Encrypt>"
            + "<MsgSignature>" + WeChatXml.Cdata(Signature(_token, timestamp, nonce, encrypt)) + "</MsgSignature>"
            + "<TimeStamp>" + timestamp + "</TimeStamp>"
            + "<Nonce>" + WeChatXml.Cdata(nonce) + "</Nonce></xml>";
    }

    private static WeChatCryptoException Fail(WeChatCryptoFailure reason, string message) => new(reason, message);
}
