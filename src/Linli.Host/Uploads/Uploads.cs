using System.Security.Cryptography;
using LiteDB;
using Linli.Storage;

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

/// <summary>One stored image: its server-chosen id and the type its bytes say it is.</summary>
public sealed record StoredUpload(string Id, string ContentType, long Length);

/// <summary>
/// Photos people send (a leak for a repair, a plan for the tea table), kept in the LiteDB file storage. Only images are
/// taken, their type read from their bytes; each gets a random name chosen here, and is served back so that no browser
/// can treat it as a page: its sniffed type, <c>nosniff</c>, a file name, and a sandbox.
/// </summary>
public sealed class UploadStore(LinliDatabase db, TimeProvider time)
{
    /// <summary>Where tea-table images live in the file storage ("tea/{id}").</summary>
    public const string TeaFolder = "tea";
    /// <summary>Contracts, invoices and receipts behind the open accounts ("proofs/{id}").</summary>
    public const string ProofFolder = "proofs";
    /// <summary>Direct Line attachments keep their bare id, as they always have.</summary>
    public const string ChatFolder = "";

    /// <summary>A 32-character lower-case hex id, as <see cref="SaveImageAsync"/> makes.</summary>
    public static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <returns>The stored image, or null when the bytes are not a JPEG, PNG, GIF or WebP image.</returns>
    public Task<StoredUpload?> SaveImageAsync(Stream content, string folder, string communityId, string ownerId,
        string? conversationId, CancellationToken cancellationToken) =>
        SaveAsync(content, folder, communityId, ownerId, conversationId, h => ImageSniffer.Sniff(h), cancellationToken);

    /// <returns>The stored proof, or null when the bytes are neither an image nor a PDF.</returns>
    public Task<StoredUpload?> SaveProofAsync(Stream content, string communityId, string ownerId,
        CancellationToken cancellationToken) =>
        SaveAsync(content, ProofFolder, communityId, ownerId, null, h => ImageSniffer.SniffProof(h), cancellationToken);

    /// <summary>Whether <paramref name="id"/> is a proof stored for <paramref name="communityId"/>.</summary>
    public bool IsProofOf(string id, string communityId) =>
        Find(ProofFolder, id) is { } file
        && file.Metadata.TryGetValue("community", out var c) && c.AsString == communityId;

    private delegate string? Sniffer(ReadOnlySpan<byte> head);

    private async Task<StoredUpload?> SaveAsync(Stream content, string folder, string communityId, string ownerId,
        string? conversationId, Sniffer sniff, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var type = sniff(buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, ImageSniffer.HeadLength)));
        if (type is null) return null;
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        buffer.Position = 0;
        db.FileStorage.Upload(StorageId(folder, id), id + ImageSniffer.Extension(type), buffer, new BsonDocument
        {
            ["contentType"] = type, ["community"] = communityId, ["by"] = ownerId,
            ["conversationId"] = conversationId ?? "", ["uploadedAt"] = time.GetUtcNow().UtcDateTime,
        });
        return new StoredUpload(id, type, buffer.Length);
    }

    public LiteFileInfo<string>? Find(string folder, string? id) =>
        IsId(id) ? db.FileStorage.FindById(StorageId(folder, id!)) : null;

    /// <summary>
    /// Whether <paramref name="id"/> is an image <paramref name="personId"/> uploaded to the tea table.
    /// </summary>
    public bool IsOwnedBy(string folder, string id, string personId) =>
        Find(folder, id) is { } file
        && file.Metadata.TryGetValue("by", out var by) && by.IsString && by.AsString == personId;

    /// <summary>
    /// Serves a stored file. Its bytes are sniffed again, so a file stored before types were checked is never served as
    /// anything but an image or a download.
    /// </summary>
    public static IResult Serve(LiteFileInfo<string> file, HttpContext http)
    {
        var stream = new MemoryStream();
        file.CopyTo(stream);
        var headLength = (int)Math.Min(stream.Length, ImageSniffer.HeadLength);
        var type = ImageSniffer.SniffProof(stream.GetBuffer().AsSpan(0, headLength));
        stream.Position = 0;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, max-age=86400";
        var name = System.IO.Path.GetFileNameWithoutExtension(file.Id.Replace('/', '-'));
        // A PDF is a download, never a page of this origin.
        if (type is null or "application/pdf")
            return Results.File(stream, type ?? "application/octet-stream", name + ImageSniffer.Extension(type ?? ""));
        headers.ContentDisposition = $"inline; filename=\"{name}{ImageSniffer.Extension(type)}\"";
        return Results.Stream(stream, type);
    }

    /// <summary>
    /// Deletes files of <paramref name="folder"/> uploaded before <paramref name="cutoff"/>; returns how many.
    /// </summary>
    public int DeleteOlderThan(string folder, DateTimeOffset cutoff, Func<string, bool>? keep = null)
    {
        var prefix = folder.Length > 0 ? folder + "/" : "";
        // A folder's files start with its name; the top folder's have no '/' at all.
        bool InFolder(LiteFileInfo<string> f) =>
            prefix.Length > 0 ? f.Id.StartsWith(prefix, StringComparison.Ordinal) : !f.Id.Contains('/');
        var old = db.FileStorage.FindAll()
            .Where(f => InFolder(f) && UploadedAt(f) < cutoff)
            .Select(f => f.Id).ToList();
        var deleted = 0;
        foreach (var id in old)
            if (keep?.Invoke(id) != true && db.FileStorage.Delete(id)) deleted++;
        return deleted;
    }

    private static DateTimeOffset UploadedAt(LiteFileInfo<string> file) =>
        file.Metadata.TryGetValue("uploadedAt", out var at) && at.IsDateTime
            ? new DateTimeOffset(at.AsDateTime.ToUniversalTime(), TimeSpan.Zero)
            : new DateTimeOffset(file.UploadDate.ToUniversalTime(), TimeSpan.Zero);

    private static string StorageId(string folder, string id) => folder.Length > 0 ? folder + "/" + id : id;
}
