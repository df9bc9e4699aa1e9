using Dapper;
using Linli.Uploads;

namespace Linli.Storage.Postgres;

/// <summary>
/// Files in PostgreSQL, bytes and all (<c>bytea</c>), so every instance serves what any instance took.
/// </summary>
public sealed class PgFileStore(PostgresDatabase db) : IFileStore
{
    private const string Columns =
        "id, file_name, content_type, community_id, owner_id, conversation_id, uploaded_at, length";

    public void Save(UploadedFile file, Stream content)
    {
        using var bytes = new MemoryStream();
        content.CopyTo(bytes);
        db.Run(c => c.Execute($"""
            INSERT INTO files ({Columns}, folder, content)
            VALUES (@Id, @FileName, @ContentType, @CommunityId, @OwnerId, @ConversationId, @UploadedAt, @Length,
                @folder, @content)
            ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, content_type = excluded.content_type,
                community_id = excluded.community_id, owner_id = excluded.owner_id,
                conversation_id = excluded.conversation_id, uploaded_at = excluded.uploaded_at,
                length = excluded.length, folder = excluded.folder, content = excluded.content
            """, new
        {
            file.Id, file.FileName, file.ContentType, file.CommunityId, file.OwnerId, file.ConversationId,
            file.UploadedAt, Length = bytes.Length, folder = Folder(file.Id), content = bytes.ToArray(),
        }));
    }

    public UploadedFile? Find(string id) =>
        db.Run(c => c.QuerySingleOrDefault<UploadedFile>($"SELECT {Columns} FROM files WHERE id = @id", new { id }));

    public byte[]? Read(string id) =>
        db.Run(c => c.QuerySingleOrDefault<byte[]>("SELECT content FROM files WHERE id = @id", new { id }));

    public IReadOnlyList<string> UploadedBefore(string folder, DateTimeOffset cutoff) =>
        db.Run(c => c.Query<string>("SELECT id FROM files WHERE folder = @folder AND uploaded_at < @cutoff",
            new { folder, cutoff }).AsList());

    public IReadOnlyList<string> OfConversation(string conversationId) =>
        db.Run(c => c.Query<string>("SELECT id FROM files WHERE conversation_id = @conversationId",
            new { conversationId }).AsList());

    public bool Delete(string id) => db.Run(c => c.Execute("DELETE FROM files WHERE id = @id", new { id }) == 1);

    /// <summary>"tea/x" is in "tea"; a bare id (a chat photo) is in the top folder, "".</summary>
    internal static string Folder(string id) => id.LastIndexOf('/') is var slash and >= 0 ? id[..slash] : "";
}
