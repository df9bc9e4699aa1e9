using System.Security.Claims;
using Linli.Accounts;
using Linli.Channels.DirectLine;
using Linli.Communities;
using Linli.People;
using Linli.Residents;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Uploads;

namespace Linli.Privacy;

/// <summary>What Linli holds about one resident, as they may ask for it (PIPL art. 45).</summary>
public sealed record ResidentData(
    string Name, string Phone, string[] Flats, ChannelIdentity[] Channels, TicketSummary[] Tickets,
    Said[] Conversations, TeaPost[] Posts, DateTimeOffset ExportedAt, CaseSummary[]? MediationCases = null);

public sealed record ChannelIdentity(string Channel, DateTimeOffset BoundAt);

public sealed record TicketSummary(string Number, string Kind, string Text, string Status, DateTimeOffset CreatedAt);

public sealed record Said(string Conversation, DateTimeOffset At, string Role, string Text);

public sealed record TeaPost(int ThreadId, DateTimeOffset At, string Text);

/// <summary>
/// A mediation case the resident is a party to: what it is about and how it ended, not what others said in it.
/// </summary>
public sealed record CaseSummary(string Number, string Subject, DateTimeOffset OpenedAt, string? Outcome);

/// <summary>
/// A resident's rights over their data (PIPL arts. 45 and 47): a copy of what Linli holds about them, and the deletion
/// of their conversations. Both audited. Tickets stay (the office's record of work done, and the resident's own
/// proof), but the conversations behind them, the chat's photos not attached to an open ticket, and the chat identities
/// go. Tickets, transcripts, tea-table posts and conversations are still read from the database itself until their
/// features have stores of their own.
/// </summary>
public sealed class PrivacyService(LinliDatabase db, IPeopleStore people, ICommunityStore communities,
    IResidentBindingStore bindings, IDirectLineStore directLine, UploadStore uploads, AuditTrail audit,
    Mediation.MediationService mediation, TimeProvider time)
{
    public ResidentData Export(ClaimsPrincipal resident)
    {
        var person = people.Find(resident.CommunityId() ?? "", resident.PersonId() ?? "")
            ?? throw new KeyNotFoundException("No such person.");
        var conversations = ConversationsOf(person.CommunityId, person.Id);
        var data = new ResidentData(
            person.Name, person.Phone,
            [.. person.Units.Select(b => $"{communities.FindUnit(b.UnitId)?.Label ?? b.UnitId} ({b.Relation})")],
            [.. bindings.OfPerson(person.CommunityId, person.Id)
                .Select(b => new ChannelIdentity(b.Identity().ChannelId, b.BoundAt))],
            [.. db.Tickets.Find(t => t.Reporter.PersonId == person.Id).OrderBy(t => t.CreatedAt)
                .Select(t => new TicketSummary(t.Number, t.Kind, t.Text ?? "", t.Status.ToString(), t.CreatedAt))],
            [.. conversations.SelectMany(c => db.Transcripts.Find(e => e.Conversation == c)).OrderBy(e => e.At)
                .Select(e => new Said(e.Conversation, e.At, e.Role, e.Text))],
            [.. db.TeaPosts.Find(p => p.AuthorId == person.Id).OrderBy(p => p.Id)
                .Select(p => new TeaPost(p.ThreadId, p.CreatedAt, p.Text))],
            time.GetUtcNow(),
            [.. mediation.ForPerson(person.CommunityId, person.Id)
                .Select(c => new CaseSummary(c.Number, c.Subject, c.OpenedAt, c.Decision?.Outcome.ToString()))]);
        audit.Record(resident, "privacy.export", person.Id);
        return data;
    }

    /// <summary>
    /// Deletes the resident's conversations everywhere Linli keeps them; returns how many conversations.
    /// </summary>
    public int EraseConversations(ClaimsPrincipal resident)
    {
        var personId = resident.PersonId() ?? throw new KeyNotFoundException("No such person.");
        var communityId = resident.CommunityId() ?? "";
        var conversations = ConversationsOf(communityId, personId);
        var keep = PhotosOfOpenTickets();
        foreach (var conversation in conversations)
        {
            db.Transcripts.DeleteMany(e => e.Conversation == conversation);
            db.ConversationStates.Delete(conversation);
            var bar = conversation.IndexOf('|');
            var (channel, id) = (conversation[..bar], conversation[(bar + 1)..]);
            if (channel != "directline") continue;
            uploads.DeleteOfConversation(id, keep.Contains);
            directLine.Delete([id]);
        }
        foreach (var binding in bindings.OfPerson(communityId, personId))
            db.ConversationReferences.Delete(binding.Id);
        audit.Record(resident, "privacy.erase_conversations", personId, $"{conversations.Count} conversations");
        return conversations.Count;
    }

    /// <summary>
    /// Chat photos older than <paramref name="cutoff"/>, except those of a ticket still being worked.
    /// </summary>
    public int DeleteOldChatPhotos(DateTimeOffset cutoff)
    {
        var keep = PhotosOfOpenTickets();
        return uploads.DeleteOlderThan(UploadStore.ChatFolder, cutoff, keep.Contains);
    }

    private HashSet<string> PhotosOfOpenTickets() =>
        db.Tickets.Find(t => t.Status != Tickets.TicketStatus.Closed).SelectMany(t => t.Attachments)
            .Select(url => url[(url.LastIndexOf('/') + 1)..]).Where(UploadStore.IsId).ToHashSet();

    /// <summary>
    /// "{channel}|{conversation}" of every conversation the person had with the bot that Linli can tie to them.
    /// </summary>
    private HashSet<string> ConversationsOf(string communityId, string personId)
    {
        var found = db.Tickets.Find(t => t.Reporter.PersonId == personId)
            .Select(t => $"{t.Reporter.ChannelId}|{t.Reporter.ConversationId}").ToHashSet();
        foreach (var binding in bindings.OfPerson(communityId, personId))
        {
            var (channel, user) = binding.Identity();
            if (channel == "directline")
                found.UnionWith(db.DirectLineConversations.Find(c => c.UserId == user)
                    .Select(c => $"directline|{c.Id}"));
            if (db.ConversationReferences.FindById(binding.Id) is not { } record) continue;
            var reference = System.Text.Json.JsonSerializer.Deserialize<Bot.Schema.ConversationReference>(
                record.Json, Bot.Schema.ActivityJson.Options);
            if (reference?.Conversation?.Id is { } conversation) found.Add($"{channel}|{conversation}");
        }
        return found;
    }
}
