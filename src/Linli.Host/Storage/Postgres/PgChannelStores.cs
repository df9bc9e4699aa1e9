using System.Text.Json;
using Dapper;
using Linli.Channels;
using Linli.Channels.BotFramework;
using Linli.Channels.WeChat;

namespace Linli.Storage.Postgres;

public sealed class PgProcessedActivities(PostgresDatabase db) : IProcessedActivities
{
    public async Task<bool> FirstTimeAsync(string key, DateTimeOffset at) =>
        await db.RunAsync(c => c.ExecuteAsync(
            "INSERT INTO processed_activities (key, at) VALUES (@key, @at) ON CONFLICT (key) DO NOTHING",
            new { key, at })) == 1;

    public int ForgetBefore(DateTimeOffset cutoff) =>
        db.Run(c => c.Execute("DELETE FROM processed_activities WHERE at < @cutoff", new { cutoff }));
}

public sealed class PgTextOutboxStore(PostgresDatabase db) : ITextOutboxStore
{
    private const string Columns =
        "id, channel, recipient AS to, text, queued_at, attempts, next_attempt_at, last_error";

    private const string Upsert = """
        INSERT INTO text_outbox (id, channel, recipient, text, queued_at, attempts, next_attempt_at, last_error)
        VALUES (@Id, @Channel, @To, @Text, @QueuedAt, @Attempts, @NextAttemptAt, @LastError)
        ON CONFLICT (id) DO UPDATE SET channel = excluded.channel, recipient = excluded.recipient,
            text = excluded.text, queued_at = excluded.queued_at, attempts = excluded.attempts,
            next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error
        """;

    public void Add(IReadOnlyList<OutboxText> texts) => db.InTransaction((c, t) => c.Execute(Upsert, texts, t));

    public IReadOnlyList<OutboxText> Queued(string channel) =>
        db.Run(c => c.Query<OutboxText>(
            $"""SELECT {Columns} FROM text_outbox WHERE channel = @channel ORDER BY id COLLATE "C" """,
            new { channel }).AsList());

    public bool HasQueued(string channel, string to) =>
        db.Run(c => c.ExecuteScalar<bool>(
            "SELECT EXISTS (SELECT 1 FROM text_outbox WHERE channel = @channel AND recipient = @to)",
            new { channel, to }));

    public void Save(OutboxText text) => db.Run(c => c.Execute(Upsert, text));

    public void Remove(string id) => db.Run(c => c.Execute("DELETE FROM text_outbox WHERE id = @id", new { id }));
}

public sealed class PgConnectorOutboxStore(PostgresDatabase db) : IConnectorOutboxStore
{
    private const string Columns =
        "id, service_url, conversation_id, reply_to_id, json, attempts, next_attempt_at, last_error";

    public void Add(OutboxItem item) =>
        db.Run(c => c.Execute($"""
            INSERT INTO connector_outbox ({Columns})
            VALUES (@Id, @ServiceUrl, @ConversationId, @ReplyToId, @Json, @Attempts, @NextAttemptAt, @LastError)
            """, item));

    public IReadOnlyList<OutboxItem> Queued() =>
        db.Run(c => c.Query<OutboxItem>($"""SELECT {Columns} FROM connector_outbox ORDER BY id COLLATE "C" """)
            .AsList());

    public IReadOnlyList<string> ServiceUrlsDue(DateTimeOffset now) =>
        db.Run(c => c.Query<string>(
            "SELECT DISTINCT service_url FROM connector_outbox WHERE next_attempt_at <= @now", new { now }).AsList());

    public void Save(OutboxItem item) =>
        db.Run(c => c.Execute($"""
            INSERT INTO connector_outbox ({Columns})
            VALUES (@Id, @ServiceUrl, @ConversationId, @ReplyToId, @Json, @Attempts, @NextAttemptAt, @LastError)
            ON CONFLICT (id) DO UPDATE SET service_url = excluded.service_url,
                conversation_id = excluded.conversation_id, reply_to_id = excluded.reply_to_id, json = excluded.json,
                attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
                last_error = excluded.last_error
            """, item));

    public void Remove(string id) =>
        db.Run(c => c.Execute("DELETE FROM connector_outbox WHERE id = @id", new { id }));
}

public sealed class PgWeChatChoicesStore(PostgresDatabase db) : IWeChatChoicesStore
{
    public void Save(WeChatChoices choices) =>
        db.Run(c => c.Execute("""
            INSERT INTO wechat_choices (open_id, choices, at) VALUES (@Id, @choices::jsonb, @At)
            ON CONFLICT (open_id) DO UPDATE SET choices = excluded.choices, at = excluded.at
            """, new { choices.Id, choices.At, choices = JsonSerializer.Serialize(choices.Choices) }));

    public WeChatChoices? Find(string openId) =>
        db.Run(c => c.QuerySingleOrDefault<(string Json, DateTimeOffset At)?>(
                "SELECT choices::text, at FROM wechat_choices WHERE open_id = @openId", new { openId }))
            is { } row
            ? new WeChatChoices(openId, JsonSerializer.Deserialize<List<WeChatChoice>>(row.Json)!, row.At)
            : null;

    public void Forget(string openId) =>
        db.Run(c => c.Execute("DELETE FROM wechat_choices WHERE open_id = @openId", new { openId }));
}
