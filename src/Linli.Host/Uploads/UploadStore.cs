using System.Security.Cryptography;

namespace Linli.Uploads;

/// <summary>One stored image: its server-chosen id and the type its bytes say it is.</summary>
public sealed record StoredUpload(string Id, string ContentType, long Length);

/// <summary>A stored file read back: what is known of it, and its bytes.</summary>
public sealed record StoredFile(UploadedFile Info, byte[] Content)
{
    public string CommunityId => Info.CommunityId;
}

/// <summary>
/// Photos people send (a leak for a repair, a plan for the tea table) and proofs behind the open accounts, kept in the
/// <see cref="IFileStore"/>. Only images (and, for proofs, PDFs) are taken, their type read from their bytes; each
/// gets a random name chosen here, and is served back so that no browser can treat it as a page: its sniffed type,
/// <c>nosniff</c>, a file name, and a sandbox.
/// </summary>
public sealed class UploadStore(IFileStore files, TimeProvider time)
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
        Describe(ProofFolder, id) is { } file && file.CommunityId == communityId;

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
        files.Save(new UploadedFile
        {
            Id = StorageId(folder, id), FileName = id + ImageSniffer.Extension(type), ContentType = type,
            CommunityId = communityId, OwnerId = ownerId, ConversationId = conversationId ?? "",
            UploadedAt = time.GetUtcNow(), Length = buffer.Length,
        }, buffer);
        return new StoredUpload(id, type, buffer.Length);
    }

    /// <summary>The file with its bytes, to serve.</summary>
    public StoredFile? Find(string folder, string? id) =>
        Describe(folder, id) is { } info && files.Read(info.Id) is { } content ? new StoredFile(info, content) : null;

    private UploadedFile? Describe(string folder, string? id) => IsId(id) ? files.Find(StorageId(folder, id!)) : null;

    /// <summary>
    /// Whether <paramref name="id"/> is an image <paramref name="personId"/> uploaded to the tea table.
    /// </summary>
    public bool IsOwnedBy(string folder, string id, string personId) =>
        Describe(folder, id) is { } file && file.OwnerId == personId;

    /// <summary>
    /// Serves a stored file. Its bytes are sniffed again, so a file stored before types were checked is never served
    /// as anything but an image or a download.
    /// </summary>
    public static IResult Serve(StoredFile file, HttpContext http)
    {
        var headLength = Math.Min(file.Content.Length, ImageSniffer.HeadLength);
        var type = ImageSniffer.SniffProof(file.Content.AsSpan(0, headLength));
        var stream = new MemoryStream(file.Content, writable: false);
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, max-age=86400";
        var name = Path.GetFileNameWithoutExtension(file.Info.Id.Replace('/', '-'));
        // A PDF is a download, never a page of this origin.
        if (type is null or "application/pdf")
            return Results.File(stream, type ?? "application/octet-stream", name + ImageSniffer.Extension(type ?? ""));
        headers.ContentDisposition = $"inline; filename=\"{name}{ImageSniffer.Extension(type)}\"";
        return Results.Stream(stream, type);
    }

    /// <summary>
    /// Deletes files of <paramref name="folder"/> uploaded before <paramref name="cutoff"/>; returns how many.
    /// </summary>
    public int DeleteOlderThan(string folder, DateTimeOffset cutoff, Func<string, bool>? keep = null) =>
        Delete(files.UploadedBefore(folder, cutoff), keep);

    /// <summary>Deletes the photos sent in a Direct Line conversation; returns how many.</summary>
    public int DeleteOfConversation(string conversationId, Func<string, bool>? keep = null) =>
        Delete(files.OfConversation(conversationId), keep);

    private int Delete(IEnumerable<string> ids, Func<string, bool>? keep) =>
        ids.Count(id => keep?.Invoke(id) != true && files.Delete(id));

    private static string StorageId(string folder, string id) => folder.Length > 0 ? folder + "/" + id : id;
}
