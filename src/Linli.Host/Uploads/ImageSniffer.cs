namespace Linli.Uploads;

/// <summary>
/// What an image file is, decided by its first bytes: never by its name or the type the sender declared.
/// </summary>
public static class ImageSniffer
{
    /// <summary>Enough bytes to tell every type Linli accepts.</summary>
    public const int HeadLength = 12;

    /// <returns>"image/jpeg", "image/png", "image/gif" or "image/webp"; null for anything else.</returns>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "image/gif";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        return null;
    }

    /// <summary>A proof of a ledger line (a contract, an invoice): an image, or a PDF.</summary>
    public static string? SniffProof(ReadOnlySpan<byte> head) =>
        Sniff(head) ?? (head.StartsWith("%PDF-"u8) ? "application/pdf" : null);

    /// <summary>Reads the head of <paramref name="content"/> (from where it stands) and sniffs it.</summary>
    public static async Task<string?> SniffAsync(Stream content, CancellationToken cancellationToken)
    {
        var head = new byte[HeadLength];
        var read = await content.ReadAtLeastAsync(head, HeadLength, throwOnEndOfStream: false, cancellationToken);
        return Sniff(head.AsSpan(0, read));
    }

    public static string Extension(string contentType) => contentType switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "application/pdf" => ".pdf",
        _ => ".bin",
    };
}
