namespace Linli.StaffConsole;

/// <summary>
/// Conversations taken over by staff, keyed by the resident's chat identity ("{channelId}|{userId}"), which is one
/// person's across this Linli: the chat that asks names no community. Saving the same identity again replaces it.
/// </summary>
public interface IHandoffStore
{
    HandoffRecord? Find(string channelId, string userId);

    /// <summary>Adds the handoff, or replaces the one of the same conversation (a retried take-over).</summary>
    void Save(HandoffRecord handoff);

    /// <summary>Ends the handoff; false when there was none.</summary>
    bool Remove(string channelId, string userId);
}

/// <summary>
/// The transcript of every conversation, appended to line by line and read per conversation
/// ("{channelId}|{conversationId}", one chat's across this Linli). Lines keep the order they were appended in, also
/// when several share an instant.
/// </summary>
public interface ITranscriptStore
{
    /// <summary>Keeps lines of one conversation, in order, as one write; completes once they are kept.</summary>
    Task AppendAsync(IReadOnlyList<TranscriptEntry> lines);

    /// <summary>The conversation's last <paramref name="take"/> lines, oldest first.</summary>
    IReadOnlyList<TranscriptEntry> Read(string conversation, int take = int.MaxValue);

    /// <summary>
    /// Deletes every line from before <paramref name="cutoff"/>, in every conversation; returns how many.
    /// </summary>
    int DeleteBefore(DateTimeOffset cutoff);
}

/// <summary>Each community's canned replies, one document per community.</summary>
public interface ICannedReplyStore
{
    /// <summary>The community's own replies, or null when it never set any.</summary>
    CannedReplies? Find(string communityId);

    /// <summary>Replaces the community's replies (<see cref="CannedReplies.Id"/> is its id).</summary>
    void Save(CannedReplies replies);
}
