using System.Text.Json;
using Dapper;
using Linli.Bot.Schema;
using Linli.Channels.DirectLine;
using Linli.Privacy;
using Linli.Tickets;

namespace Linli.Storage.Postgres;

/// <summary>
/// The tickets a resident reported: in their copy of their data, and the conversations they were reported from.
/// Tickets themselves stay (the office's record of work done, and the resident's proof).
/// </summary>
public sealed class PgTicketPersonalData(PostgresDatabase db) : IPersonalData
{
    public IEnumerable<string> ConversationsOf(DataSubject subject) =>
        Reported(subject).Select(t => $"{t.Reporter.ChannelId}|{t.Reporter.ConversationId}");

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export) =>
        export.Tickets.AddRange(Reported(subject)
            .Select(t => new TicketSummary(t.Number, t.Kind, t.Text ?? "", t.Status.ToString(), t.CreatedAt)));

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations)
    {
    }

    private List<Ticket> Reported(DataSubject subject) =>
        db.Run(c => c.Query<string>("""
            SELECT doc FROM tickets WHERE community_id = @CommunityId AND reporter_person_id = @PersonId
            ORDER BY created_at, id
            """, subject).Select(PgDocuments.Read<Ticket>).ToList());
}

/// <summary>The transcripts of a resident's conversations, as staff read them beside a ticket.</summary>
public sealed class PgTranscriptPersonalData(PostgresDatabase db) : IPersonalData
{
    public IEnumerable<string> ConversationsOf(DataSubject subject) => [];

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export) =>
        export.Conversations.AddRange(db.Run(c => c.Query<(string, DateTimeOffset, string, string)>("""
            SELECT conversation, at, role, text FROM transcript_lines WHERE conversation = ANY(@conversations)
            ORDER BY at, seq
            """, new { conversations = conversations.ToArray() }))
            .Select(line => new Said(line.Item1, line.Item2, line.Item3, line.Item4)));

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations) =>
        db.Run(c => c.Execute("DELETE FROM transcript_lines WHERE conversation = ANY(@conversations)",
            new { conversations = conversations.ToArray() }));
}

/// <summary>
/// The bot's side of a resident's chats: the latest conversation of each of their chat identities (where proactive
/// messages go) and each conversation's dialog state.
/// </summary>
public sealed class PgConversationPersonalData(PostgresDatabase db) : IPersonalData
{
    public IEnumerable<string> ConversationsOf(DataSubject subject)
    {
        foreach (var binding in subject.Bindings)
        {
            var (channelId, userId) = binding.Identity();
            var json = db.Run(c => c.QuerySingleOrDefault<string>(
                "SELECT reference FROM conversation_references WHERE channel_id = @channelId AND user_id = @userId",
                new { channelId, userId }));
            if (json is null) continue;
            var reference = JsonSerializer.Deserialize<ConversationReference>(json, ActivityJson.Options);
            if (reference?.Conversation?.Id is { } conversation) yield return $"{channelId}|{conversation}";
        }
    }

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export)
    {
    }

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations) =>
        db.InTransaction((c, t) =>
        {
            foreach (var conversation in conversations)
            {
                // "{channel}|{conversation}": a channel's name holds no bar.
                var bar = conversation.IndexOf('|', StringComparison.Ordinal);
                if (bar < 0) continue;
                c.Execute("""
                    DELETE FROM conversation_states WHERE channel_id = @channelId AND conversation_id = @conversationId
                    """, new { channelId = conversation[..bar], conversationId = conversation[(bar + 1)..] }, t);
            }
            foreach (var (channelId, userId) in subject.Bindings.Select(b => b.Identity()))
                c.Execute("DELETE FROM conversation_references WHERE channel_id = @channelId AND user_id = @userId",
                    new { channelId, userId }, t);
            return 0;
        });
}

/// <summary>
/// A resident's Direct Line conversations (the web chat) with every activity in them, raw text included.
/// </summary>
public sealed class PgDirectLinePersonalData(PostgresDatabase db, IDirectLineStore directLine) : IPersonalData
{
    private const string Channel = "directline";

    public IEnumerable<string> ConversationsOf(DataSubject subject) =>
        db.Run(c => c.Query<string>("SELECT id FROM directline_conversations WHERE user_id = ANY(@users)", new
        {
            users = subject.Bindings.Select(b => b.Identity())
                .Where(identity => identity.ChannelId == Channel).Select(identity => identity.UserId).ToArray(),
        }).Select(id => $"{Channel}|{id}").ToList());

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export)
    {
    }

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations) =>
        directLine.Delete([.. conversations.Where(c => c.StartsWith(Channel + "|", StringComparison.Ordinal))
            .Select(c => c[(Channel.Length + 1)..])]);
}
