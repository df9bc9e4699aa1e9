using Dapper;
using Linli.StaffConsole;

namespace Linli.Storage.Postgres;

public sealed class PgHandoffStore(PostgresDatabase db) : IHandoffStore
{
    public HandoffRecord? Find(string channelId, string userId) =>
        db.Run(c => c.QuerySingleOrDefault<HandoffRecord>(
            "SELECT id, ticket_number, staff_person_id, staff_name, since FROM handoffs WHERE id = @id",
            new { id = HandoffRecord.Key(channelId, userId) }));

    public void Save(HandoffRecord handoff) =>
        db.Run(c => c.Execute("""
            INSERT INTO handoffs (id, ticket_number, staff_person_id, staff_name, since)
            VALUES (@Id, @TicketNumber, @StaffPersonId, @StaffName, @Since)
            ON CONFLICT (id) DO UPDATE SET ticket_number = excluded.ticket_number,
                staff_person_id = excluded.staff_person_id, staff_name = excluded.staff_name, since = excluded.since
            """, handoff));

    public bool Remove(string channelId, string userId) =>
        db.Run(c => c.Execute("DELETE FROM handoffs WHERE id = @id",
            new { id = HandoffRecord.Key(channelId, userId) }) == 1);
}

public sealed class PgTranscriptStore(PostgresDatabase db) : ITranscriptStore
{
    /// <summary>The lines in one transaction: all or none, numbered in their order.</summary>
    public Task AppendAsync(IReadOnlyList<TranscriptEntry> lines) =>
        db.RunAsync(async c =>
        {
            await using var transaction = await c.BeginTransactionAsync();
            await c.ExecuteAsync("""
                INSERT INTO transcript_lines (conversation, at, role, name, text, attachments, buttons)
                VALUES (@Conversation, @At, @Role, @Name, @Text, @Attachments, @Buttons)
                """, lines, transaction);
            await transaction.CommitAsync();
            return lines.Count;
        });

    public IReadOnlyList<TranscriptEntry> Read(string conversation, int take = int.MaxValue) =>
        db.Run(c => c.Query<TranscriptEntry>("""
            SELECT conversation, at, role, name, text, attachments, buttons FROM (
                SELECT * FROM transcript_lines WHERE conversation = @conversation ORDER BY seq DESC LIMIT @take
            ) latest ORDER BY seq
            """, new { conversation, take }).AsList());

    public int DeleteBefore(DateTimeOffset cutoff) =>
        db.Run(c => c.Execute("DELETE FROM transcript_lines WHERE at < @cutoff", new { cutoff }));
}
