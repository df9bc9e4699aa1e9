using Dapper;
using Linli.Bot.Schema;
using Linli.Channels.DirectLine;

namespace Linli.Storage.Postgres;

/// <summary>
/// Direct Line conversations and their backlogs in PostgreSQL. An append takes the conversation's row lock, so the
/// activities of one conversation are numbered without gaps or repeats by whichever instance appends.
/// </summary>
public sealed class PgDirectLineStore(PostgresDatabase db, TimeProvider time) : IDirectLineStore
{
    private const string ConversationColumns = "id, user_id, locale, created_at, last_seq, started";

    public DirectLineConversation Create(string? userId, string? locale = null)
    {
        var conversation = DirectLineConversation.New(userId, locale, time.GetUtcNow());
        db.Run(c => c.Execute($"""
            INSERT INTO directline_conversations ({ConversationColumns})
            VALUES (@Id, @UserId, @Locale, @CreatedAt, @LastSeq, @Started)
            """, conversation));
        return conversation;
    }

    public DirectLineConversation? Find(string conversationId) =>
        db.Run(c => c.QuerySingleOrDefault<DirectLineConversation>(
            $"SELECT {ConversationColumns} FROM directline_conversations WHERE id = @conversationId",
            new { conversationId }));

    public bool MarkStarted(string conversationId) =>
        db.Run(c => c.Execute(
            "UPDATE directline_conversations SET started = true WHERE id = @conversationId AND NOT started",
            new { conversationId }) == 1);

    public bool SetUserIfUnknown(string conversationId, string userId) =>
        db.Run(c => c.Execute(
            "UPDATE directline_conversations SET user_id = @userId WHERE id = @conversationId AND user_id IS NULL",
            new { conversationId, userId }) == 1);

    public DirectLineActivityRecord Append(string conversationId, Activity activity) =>
        AppendOnce(conversationId, activity).Record;

    public (DirectLineActivityRecord Record, bool IsNew) AppendOnce(string conversationId, Activity activity)
    {
        var clientKey = DirectLineActivityRecord.ClientKeyOf(conversationId, activity);
        return db.InTransaction((c, t) =>
        {
            var last = c.QuerySingleOrDefault<int?>(
                    "SELECT last_seq FROM directline_conversations WHERE id = @conversationId FOR UPDATE",
                    new { conversationId }, t)
                ?? throw new InvalidOperationException($"No Direct Line conversation {conversationId}.");
            if (clientKey is not null && c.QuerySingleOrDefault<DirectLineActivityRecord>("""
                    SELECT id, conversation_id, seq, json, client_key FROM directline_activities
                    WHERE conversation_id = @conversationId AND client_key = @clientKey
                    """, new { conversationId, clientKey }, t) is { } seen)
                return (seen, false);
            var seq = last + 1;
            var record = DirectLineActivityRecord.Of(conversationId, seq, activity, clientKey, time.GetUtcNow());
            c.Execute("""
                INSERT INTO directline_activities (conversation_id, seq, id, json, client_key)
                VALUES (@ConversationId, @Seq, @Id, @Json, @ClientKey)
                """, record, t);
            c.Execute("UPDATE directline_conversations SET last_seq = @seq WHERE id = @conversationId",
                new { seq, conversationId }, t);
            return (record, true);
        });
    }

    public IReadOnlyList<DirectLineActivityRecord> After(string conversationId, int watermark) =>
        db.Run(c => c.Query<DirectLineActivityRecord>("""
            SELECT id, conversation_id, seq, json, client_key FROM directline_activities
            WHERE conversation_id = @conversationId AND seq > @watermark ORDER BY seq
            """, new { conversationId, watermark }).AsList());

    public int DeleteStartedBefore(DateTimeOffset cutoff) =>
        db.Run(c => c.Execute("DELETE FROM directline_conversations WHERE created_at < @cutoff", new { cutoff }));

    public int Delete(IReadOnlyCollection<string> conversationIds) =>
        // The activities go with their conversation (ON DELETE CASCADE).
        db.Run(c => c.Execute("DELETE FROM directline_conversations WHERE id = ANY(@ids)",
            new { ids = conversationIds.ToArray() }));
}
