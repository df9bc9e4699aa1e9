using Linli.Bot.Schema;

namespace Linli.Channels.DirectLine;

/// <summary>
/// Direct Line conversations and their backlogs. Every activity gets the next sequence number of its conversation,
/// which is also its watermark: numbers without gaps or repeats, however many turns append at once.
/// </summary>
public interface IDirectLineStore
{
    /// <summary>A new conversation with an unguessable id (it appears in URLs; only its token may read it).</summary>
    DirectLineConversation Create(string? userId, string? locale = null);

    DirectLineConversation? Find(string conversationId);

    /// <summary>Marks the conversation started; false when it already was.</summary>
    bool MarkStarted(string conversationId);

    /// <summary>Records who the conversation's user is, the first time they speak; false when it was known.</summary>
    bool SetUserIfUnknown(string conversationId, string userId);

    /// <summary>Gives the activity its id and timestamp and adds it to the backlog.</summary>
    DirectLineActivityRecord Append(string conversationId, Activity activity);

    /// <summary>
    /// As <see cref="Append"/>, but a user's activity whose <c>clientActivityID</c> is already in the backlog (a client
    /// retrying a send whose answer it never got) is not added again: the first one is returned with IsNew false.
    /// </summary>
    (DirectLineActivityRecord Record, bool IsNew) AppendOnce(string conversationId, Activity activity);

    /// <summary>The backlog after <paramref name="watermark"/>, oldest first.</summary>
    IReadOnlyList<DirectLineActivityRecord> After(string conversationId, int watermark);

    /// <summary>Deletes the conversations started before <paramref name="cutoff"/> and their activities.</summary>
    /// <returns>How many conversations.</returns>
    int DeleteStartedBefore(DateTimeOffset cutoff);

    /// <summary>Deletes these conversations and every activity in them.</summary>
    int Delete(IReadOnlyCollection<string> conversationIds);
}
