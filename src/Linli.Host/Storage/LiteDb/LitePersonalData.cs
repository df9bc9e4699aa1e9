using System.Text.Json;
using Linli.Bot.Schema;
using Linli.Channels.DirectLine;
using Linli.Privacy;
using Linli.Tickets;

namespace Linli.Storage.LiteDb;

/// <summary>
/// The tickets a resident reported: in their copy of their data, and the conversations they were reported from.
/// Tickets themselves stay (the office's record of work done, and the resident's proof).
/// </summary>
public sealed class LiteTicketPersonalData(LinliDatabase db) : IPersonalData
{
    public IEnumerable<string> ConversationsOf(DataSubject subject) =>
        Reported(subject).Select(t => $"{t.Reporter.ChannelId}|{t.Reporter.ConversationId}");

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export) =>
        export.Tickets.AddRange(Reported(subject).OrderBy(t => t.CreatedAt)
            .Select(t => new TicketSummary(t.Number, t.Kind, t.Text ?? "", t.Status.ToString(), t.CreatedAt)));

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations)
    {
    }

    private List<Ticket> Reported(DataSubject subject) =>
        db.Tickets.Find(t => t.CommunityId == subject.CommunityId && t.Reporter.PersonId == subject.PersonId)
            .ToList();
}

/// <summary>The transcripts of a resident's conversations, as staff read them beside a ticket.</summary>
public sealed class LiteTranscriptPersonalData(LinliDatabase db) : IPersonalData
{
    public IEnumerable<string> ConversationsOf(DataSubject subject) => [];

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export) =>
        export.Conversations.AddRange(conversations
            .SelectMany(c => LiteTranscriptStore.LinesOf(db, c))
            .OrderBy(e => e.At)
            .Select(e => new Said(e.Conversation, e.At, e.Role, e.Text)));

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations)
    {
        foreach (var conversation in conversations) LiteTranscriptStore.DeleteConversation(db, conversation);
    }
}

/// <summary>What a resident wrote at the tea table, in their community.</summary>
public sealed class LiteTeaPersonalData(LinliDatabase db) : IPersonalData
{
    public IEnumerable<string> ConversationsOf(DataSubject subject) => [];

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export) =>
        export.Posts.AddRange(db.TeaPosts.Query()
            .Where(p => p.CommunityId == subject.CommunityId && p.AuthorId == subject.PersonId)
            .OrderBy(p => p.Id)
            .ToEnumerable()
            .Select(p => new TeaPost(p.ThreadId, p.CreatedAt, p.Text)));

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations)
    {
    }
}

/// <summary>
/// The bot's side of a resident's chats: the latest conversation of each of their chat identities (where proactive
/// messages go) and each conversation's dialog state.
/// </summary>
public sealed class LiteConversationPersonalData(LinliDatabase db) : IPersonalData
{
    public IEnumerable<string> ConversationsOf(DataSubject subject)
    {
        foreach (var binding in subject.Bindings)
        {
            if (db.ConversationReferences.FindById(binding.Id) is not { } record) continue;
            var reference = JsonSerializer.Deserialize<ConversationReference>(record.Json, ActivityJson.Options);
            if (reference?.Conversation?.Id is { } conversation)
                yield return $"{binding.Identity().ChannelId}|{conversation}";
        }
    }

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export)
    {
    }

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations)
    {
        foreach (var conversation in conversations) LiteConversationStateStore.Erase(db, conversation);
        foreach (var binding in subject.Bindings) db.ConversationReferences.Delete(binding.Id);
    }
}

/// <summary>
/// A resident's Direct Line conversations (the web chat) with every activity in them, raw text included.
/// </summary>
public sealed class LiteDirectLinePersonalData(LinliDatabase db, IDirectLineStore directLine) : IPersonalData
{
    private const string Channel = "directline";

    public IEnumerable<string> ConversationsOf(DataSubject subject) =>
        subject.Bindings.Select(b => b.Identity())
            .Where(identity => identity.ChannelId == Channel)
            .SelectMany(identity => db.DirectLineConversations.Find(c => c.UserId == identity.UserId))
            .Select(c => $"{Channel}|{c.Id}");

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export)
    {
    }

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations) =>
        directLine.Delete([.. conversations.Where(c => c.StartsWith(Channel + "|", StringComparison.Ordinal))
            .Select(c => c[(Channel.Length + 1)..])]);
}
