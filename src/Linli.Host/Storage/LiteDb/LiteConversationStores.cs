using System.Text.Json;
using System.Text.Json.Nodes;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
namespace Linli.Storage.LiteDb;

public sealed record ConversationStateRecord(string Id, string Json, DateTimeOffset UpdatedAt);

public sealed record ConversationReferenceRecord(
    string Id, string ChannelId, string UserId, string Json, DateTimeOffset UpdatedAt);

/// <summary>
/// Conversation state in LiteDB, so a restart mid-conversation continues where the resident was. What a turn loads
/// is remembered (<see cref="LinliDatabase.KnownStates"/>): the next turn of a conversation reads no file.
/// </summary>
public sealed class LiteConversationStateStore(LinliDatabase db, TimeProvider time) : IConversationStateStore
{
    public Task<JsonObject?> LoadAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        var record = db.KnownStates.Get(Key(channelId, conversationId), id => db.ConversationStates.FindById(id));
        return Task.FromResult(record is null ? null : JsonNode.Parse(record.Json)?.AsObject());
    }

    /// <remarks>
    /// Turns of one conversation run one at a time (the turn gate), so no other save of it commits between this one's
    /// commit and its being remembered; an erasure may, and then the state is read from the file next time.
    /// </remarks>
    public async Task SaveAsync(string channelId, string conversationId, JsonObject state,
        CancellationToken cancellationToken)
    {
        var record = new ConversationStateRecord(
            Key(channelId, conversationId), state.ToJsonString(), time.GetUtcNow());
        var mark = db.KnownStates.Mark;
        await db.Together.RunAsync(() => db.ConversationStates.Upsert(record));
        db.KnownStates.Set(record.Id, record, mark);
    }

    /// <summary>Deletes the state under <paramref name="key"/> ("{channelId}|{conversationId}").</summary>
    public static void Erase(LinliDatabase db, string key) =>
        db.KnownStates.Write(key, () => db.ConversationStates.Delete(key), _ => null);

    private static string Key(string channelId, string conversationId) => $"{channelId}|{conversationId}";
}

/// <summary>The latest conversation of each user on each channel: where proactive messages go.</summary>
public sealed class LiteConversationReferenceStore(LinliDatabase db, TimeProvider time) : IConversationReferenceStore
{
    public Task SaveAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        var channelId = reference.ChannelId ?? "";
        var userId = reference.User?.Id ?? "";
        var json = JsonSerializer.Serialize(reference, ActivityJson.Options);
        var record = new ConversationReferenceRecord(
            $"{channelId}|{userId}", channelId, userId, json, time.GetUtcNow());
        return db.Together.RunAsync(() => db.ConversationReferences.Upsert(record));
    }

    public Task<ConversationReference?> FindAsync(string channelId, string userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.ConversationReferences.FindById($"{channelId}|{userId}") is { } r
            ? JsonSerializer.Deserialize<ConversationReference>(r.Json, ActivityJson.Options)
            : null);

    public Task<DateTimeOffset?> LastSavedAsync(string channelId, string userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.ConversationReferences.FindById($"{channelId}|{userId}")?.UpdatedAt);
}
