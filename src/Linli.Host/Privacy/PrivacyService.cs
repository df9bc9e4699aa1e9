using System.Security.Claims;
using Linli.Accounts;
using Linli.Communities;
using Linli.People;
using Linli.Residents;
using Linli.Tickets;
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
/// go. What each feature keeps of a resident's chats and writing is found and deleted by that feature's
/// <see cref="IPersonalData"/>.
/// </summary>
public sealed class PrivacyService(IEnumerable<IPersonalData> parts, IPeopleStore people,
    ICommunityStore communities, IResidentBindingStore bindings, ITicketStore tickets, UploadStore uploads,
    AuditTrail audit, Mediation.MediationService mediation, TimeProvider time)
{
    public ResidentData Export(ClaimsPrincipal resident)
    {
        var person = people.Find(resident.CommunityId() ?? "", resident.PersonId() ?? "")
            ?? throw new KeyNotFoundException("No such person.");
        var subject = Subject(person.CommunityId, person.Id);
        var conversations = ConversationsOf(subject);
        var export = new PersonalDataExport();
        foreach (var part in parts) part.Export(subject, conversations, export);
        var data = new ResidentData(
            person.Name, person.Phone,
            [.. person.Units.Select(b => $"{communities.FindUnit(b.UnitId)?.Label ?? b.UnitId} ({b.Relation})")],
            [.. subject.Bindings.Select(b => new ChannelIdentity(b.Identity().ChannelId, b.BoundAt))],
            [.. export.Tickets], [.. export.Conversations], [.. export.Posts],
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
        var subject = Subject(resident.CommunityId() ?? "", personId);
        var conversations = ConversationsOf(subject);
        var keep = PhotosOfOpenTickets();
        foreach (var conversation in conversations)
        {
            var bar = conversation.IndexOf('|');
            var (channel, id) = (conversation[..bar], conversation[(bar + 1)..]);
            if (channel == "directline") uploads.DeleteOfConversation(id, keep.Contains);
        }
        foreach (var part in parts) part.EraseConversations(subject, conversations);
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
        tickets.AttachmentsOfTicketsNotClosed()
            .Select(url => url[(url.LastIndexOf('/') + 1)..]).Where(UploadStore.IsId).ToHashSet();

    private DataSubject Subject(string communityId, string personId) =>
        new(communityId, personId, bindings.OfPerson(communityId, personId));

    /// <summary>
    /// "{channel}|{conversation}" of every conversation the person had with the bot that Linli can tie to them.
    /// </summary>
    private HashSet<string> ConversationsOf(DataSubject subject) =>
        parts.SelectMany(part => part.ConversationsOf(subject)).ToHashSet();
}
