namespace Linli.Channels.BotFramework;

/// <summary>A reply or proactive message waiting to be delivered to a Connector, kept until it is.</summary>
public sealed record OutboxItem
{
    /// <summary>Sortable: delivery keeps the order in which the bot spoke.</summary>
    public required string Id { get; init; }
    public required string ServiceUrl { get; init; }
    public required string ConversationId { get; init; }
    public string? ReplyToId { get; init; }
    public required string Json { get; init; }
    public int Attempts { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
}
