using Linli.Residents;

namespace Linli.Privacy;

/// <summary>Whose data: a person of a community, with the chat identities bound to them there.</summary>
public sealed record DataSubject(string CommunityId, string PersonId, IReadOnlyList<ResidentBinding> Bindings);

/// <summary>
/// Where one feature keeps a resident's conversations or what they wrote (PIPL arts. 45 and 47). Implemented beside
/// that feature's store and registered once per feature; <see cref="PrivacyService"/> asks every one of them, so no
/// store has to know every collection, and a feature that starts keeping such data adds one more.
/// </summary>
public interface IPersonalData
{
    /// <summary>The conversations ("{channel}|{conversation}") this feature ties to the person.</summary>
    IEnumerable<string> ConversationsOf(DataSubject subject);

    /// <summary>
    /// Adds what this feature holds about the person, or said in <paramref name="conversations"/>, to
    /// <paramref name="export"/>.
    /// </summary>
    void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export);

    /// <summary>Deletes <paramref name="conversations"/>, the person's, wherever this feature keeps them.</summary>
    void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations);
}

/// <summary>The parts of a resident's copy of their data that the features fill in.</summary>
public sealed class PersonalDataExport
{
    /// <summary>Tickets they reported, oldest first.</summary>
    public List<TicketSummary> Tickets { get; } = [];

    /// <summary>What was said in their conversations, by time.</summary>
    public List<Said> Conversations { get; } = [];

    /// <summary>Their tea-table posts, in the order they were written.</summary>
    public List<TeaPost> Posts { get; } = [];
}
