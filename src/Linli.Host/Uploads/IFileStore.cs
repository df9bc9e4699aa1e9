namespace Linli.Uploads;

/// <summary>What is known of a stored file besides its bytes.</summary>
public sealed record UploadedFile
{
    /// <summary>"{folder}/{id}" ("tea/…", "proofs/…"), or the bare id of a chat photo.</summary>
    public required string Id { get; init; }
    public required string FileName { get; init; }
    /// <summary>The type its bytes said it was when it came.</summary>
    public required string ContentType { get; init; }
    /// <summary>"" for chat photos: they come before anyone knows the sender's community.</summary>
    public required string CommunityId { get; init; }
    /// <summary>Who sent it: a person, or a chat user.</summary>
    public required string OwnerId { get; init; }
    /// <summary>The Direct Line conversation it came in, or "".</summary>
    public string ConversationId { get; init; } = "";
    public required DateTimeOffset UploadedAt { get; init; }
    /// <summary>The number of bytes stored.</summary>
    public long Length { get; init; }
}

/// <summary>
/// Uploaded files, their bytes and what is known of them. Ids are random and chosen by the server, and chat photos have
/// no community, so files are found by id; <see cref="UploadStore"/> checks a file's community before it serves it.
/// Retention sweeps a folder across communities.
/// </summary>
public interface IFileStore
{
    /// <summary>Stores the bytes under the file's id, replacing any there (a retried upload).</summary>
    void Save(UploadedFile file, Stream content);

    UploadedFile? Find(string id);

    /// <returns>The file's bytes, or null when there is no such file.</returns>
    byte[]? Read(string id);

    /// <summary>Ids of the folder's files uploaded before <paramref name="cutoff"/>; "" is the top folder.</summary>
    IReadOnlyList<string> UploadedBefore(string folder, DateTimeOffset cutoff);

    /// <summary>Ids of the files sent in a Direct Line conversation.</summary>
    IReadOnlyList<string> OfConversation(string conversationId);

    /// <returns>Whether there was such a file.</returns>
    bool Delete(string id);
}
