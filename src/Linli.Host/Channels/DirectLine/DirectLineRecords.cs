namespace Linli.Channels.DirectLine;

/// <summary>A Direct Line conversation. <see cref="LastSeq"/> is the watermark of its newest activity.</summary>
public sealed record DirectLineConversation
{
    public required string Id { get; init; }
    public string? UserId { get; init; }
    /// <summary>The language the client asked for when it got its token, for the welcome.</summary>
    public string? Locale { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int LastSeq { get; init; }
    public bool Started { get; init; }

    /// <summary>
    /// A new conversation with an unguessable id: the id appears in URLs, and only its token may read it.
    /// </summary>
    public static DirectLineConversation New(string? userId, string? locale, DateTimeOffset now) => new()
    {
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)),
        UserId = userId,
        Locale = locale,
        CreatedAt = now,
    };
}

/// <summary>One activity of a conversation's backlog, kept as the JSON that went over the wire.</summary>
public sealed record DirectLineActivityRecord
{
    /// <summary>"{conversationId}|{seq:D7}", which is also the activity's id on the wire.</summary>
    public required string Id { get; init; }
    public required string ConversationId { get; init; }
    public required int Seq { get; init; }
    public required string Json { get; init; }
    /// <summary>
    /// "{conversationId}|{clientActivityID}" of a user's post: a retried send is recognised, not run twice.
    /// </summary>
    public string? ClientKey { get; init; }

    /// <summary>
    /// Numbers <paramref name="activity"/> as the conversation's <paramref name="seq"/>th, stamps it with
    /// <paramref name="now"/>, and keeps it as it will go over the wire.
    /// </summary>
    public static DirectLineActivityRecord Of(string conversationId, int seq, Bot.Schema.Activity activity,
        string? clientKey, DateTimeOffset now)
    {
        activity.Id = $"{conversationId}|{seq:D7}";
        activity.Timestamp = now;
        return new DirectLineActivityRecord
        {
            Id = activity.Id,
            ConversationId = conversationId,
            Seq = seq,
            Json = Bot.Schema.ActivityJson.Serialize(activity),
            ClientKey = clientKey,
        };
    }

    /// <summary>
    /// The <see cref="ClientKey"/> of a user's activity that carries a <c>clientActivityID</c>; else null.
    /// </summary>
    public static string? ClientKeyOf(string conversationId, Bot.Schema.Activity activity) =>
        activity.From?.Role == "user"
        && activity.ChannelData is { ValueKind: System.Text.Json.JsonValueKind.Object } data
        && data.TryGetProperty("clientActivityID", out var id)
        && id.ValueKind == System.Text.Json.JsonValueKind.String
            ? $"{conversationId}|{id.GetString()}"
            : null;
}
