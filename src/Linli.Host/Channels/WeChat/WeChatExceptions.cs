namespace Linli.Channels.WeChat;

/// <summary>Why a safe-mode payload could not be opened.</summary>
public enum WeChatCryptoFailure
{
    /// <summary>msg_signature does not match token, timestamp, nonce and the ciphertext.</summary>
    BadSignature,
    /// <summary>The ciphertext is not base64.</summary>
    BadBase64,
    /// <summary>The ciphertext is not a whole number of AES blocks, or too short to hold the header.</summary>
    BadLength,
    /// <summary>The last byte is not a PKCS#7 pad of 1–32, or the pad bytes differ.</summary>
    BadPadding,
    /// <summary>The 4-byte length runs past the end of what was decrypted.</summary>
    BadMessageLength,
    /// <summary>The message is not UTF-8.</summary>
    BadText,
    /// <summary>The AppId/CorpId after the message is not ours: sealed for another account.</summary>
    WrongReceiveId,
}

/// <summary>
/// The one exception opening a WeChat/WeCom payload throws, whatever went wrong, so an endpoint needs one catch and
/// answers every failure the same way (it tells a prober nothing about which check failed).
/// </summary>
public sealed class WeChatCryptoException(WeChatCryptoFailure reason, string message) : Exception(message)
{
    public WeChatCryptoFailure Reason => reason;
}

/// <summary>
/// The body is not the XML WeChat sends: malformed, too large, with a DTD, or missing a required field.
/// </summary>
public sealed class WeChatFormatException(string message, Exception? inner = null) : Exception(message, inner);
