using LiteDB;
using Linli.Uploads;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Files in LiteDB's file storage, inside the database file; what is known of them in each one's metadata.
/// </summary>
public sealed class LiteFileStore(LinliDatabase db) : IFileStore
{
    public void Save(UploadedFile file, Stream content)
    {
        // The metadata's names are those files have always been stored with.
        db.FileStorage.Upload(file.Id, file.FileName, content, new BsonDocument
        {
            ["contentType"] = file.ContentType,
            ["community"] = file.CommunityId,
            ["by"] = file.OwnerId,
            ["conversationId"] = file.ConversationId,
            ["uploadedAt"] = file.UploadedAt.UtcDateTime,
        });
    }

    public UploadedFile? Find(string id) => db.FileStorage.FindById(id) is { } info ? Describe(info) : null;

    public byte[]? Read(string id)
    {
        if (db.FileStorage.FindById(id) is not { } info) return null;
        using var bytes = new MemoryStream();
        info.CopyTo(bytes);
        return bytes.ToArray();
    }

    public IReadOnlyList<string> UploadedBefore(string folder, DateTimeOffset cutoff)
    {
        var prefix = folder.Length > 0 ? folder + "/" : "";
        // A folder's files start with its name; the top folder's have no '/' at all.
        bool InFolder(string id) =>
            prefix.Length > 0 ? id.StartsWith(prefix, StringComparison.Ordinal) : !id.Contains('/');
        // Metadata dates are read through UploadedAt, which knows files stored before they were written down.
        return db.FileStorage.FindAll()
            .Where(f => InFolder(f.Id) && UploadedAt(f) < cutoff)
            .Select(f => f.Id)
            .ToList();
    }

    public IReadOnlyList<string> OfConversation(string conversationId) =>
        db.FileStorage.Find("$.metadata.conversationId = @0", conversationId).Select(f => f.Id).ToList();

    public bool Delete(string id) => db.FileStorage.Delete(id);

    private static UploadedFile Describe(LiteFileInfo<string> info) => new()
    {
        Id = info.Id,
        FileName = info.Filename,
        ContentType = Text(info, "contentType") ?? info.MimeType,
        CommunityId = Text(info, "community") ?? "",
        OwnerId = Text(info, "by") ?? "",
        ConversationId = Text(info, "conversationId") ?? "",
        UploadedAt = UploadedAt(info),
        Length = info.Length,
    };

    private static string? Text(LiteFileInfo<string> info, string name) =>
        info.Metadata.TryGetValue(name, out var value) && value.IsString ? value.AsString : null;

    private static DateTimeOffset UploadedAt(LiteFileInfo<string> file) =>
        file.Metadata.TryGetValue("uploadedAt", out var at) && at.IsDateTime
            ? new DateTimeOffset(at.AsDateTime.ToUniversalTime(), TimeSpan.Zero)
            : new DateTimeOffset(file.UploadDate.ToUniversalTime(), TimeSpan.Zero);
}
