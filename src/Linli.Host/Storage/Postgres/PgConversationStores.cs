using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Linli.Bot.Schema;
using Linli.Bot.Turns;

namespace Linli.Storage.Postgres;

/// <summary>Conversation state in PostgreSQL: any instance continues a conversation another began.</summary>
public sealed class PgConversationStateStore(PostgresDatabase db, TimeProvider time) : IConversationStateStore
{
    public async Task<JsonObject?> LoadAsync(string channelId, string conversationId,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.ConnectAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            SELECT state::text FROM conversation_states
            WHERE channel_id = @channelId AND conversation_id = @conversationId
            """, new { channelId, conversationId }, cancellationToken: cancellationToken));
        return json is null ? null : JsonNode.Parse(json)?.AsObject();
    }

    public async Task SaveAsync(string channelId, string conversationId, JsonObject state,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.ConnectAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO conversation_states (channel_id, conversation_id, state, updated_at)
            VALUES (@channelId, @conversationId, @state::json, @at)
            ON CONFLICT (channel_id, conversation_id) DO UPDATE SET state = excluded.state,
                updated_at = excluded.updated_at
            """, new { channelId, conversationId, state = state.ToJsonString(), at = time.GetUtcNow() },
            cancellationToken: cancellationToken));
    }
}

/// <summary>The latest conversation of each user on each channel: where proactive messages go.</summary>
public sealed class PgConversationReferenceStore(PostgresDatabase db, TimeProvider time) : IConversationReferenceStore
{
    public async Task SaveAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        await using var connection = await db.ConnectAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO conversation_references (channel_id, user_id, reference, updated_at)
            VALUES (@channelId, @userId, @json::json, @at)
            ON CONFLICT (channel_id, user_id) DO UPDATE SET reference = excluded.reference,
                updated_at = excluded.updated_at
            """, new
        {
            channelId = reference.ChannelId ?? "",
            userId = reference.User?.Id ?? "",
            json = JsonSerializer.Serialize(reference, ActivityJson.Options),
            at = time.GetUtcNow(),
        }, cancellationToken: cancellationToken));
    }

    public async Task<ConversationReference?> FindAsync(string channelId, string userId,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.ConnectAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            SELECT reference::text FROM conversation_references WHERE channel_id = @channelId AND user_id = @userId
            """, new { channelId, userId }, cancellationToken: cancellationToken));
        return json is null ? null : JsonSerializer.Deserialize<ConversationReference>(json, ActivityJson.Options);
    }

    public async Task<DateTimeOffset?> LastSavedAsync(string channelId, string userId,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.ConnectAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition("""
            SELECT updated_at FROM conversation_references WHERE channel_id = @channelId AND user_id = @userId
            """, new { channelId, userId }, cancellationToken: cancellationToken));
    }
}
