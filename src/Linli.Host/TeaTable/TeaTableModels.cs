namespace Linli.TeaTable;

/// <summary>
/// A deliberation thread of a community (optionally about one building): talk, perhaps a proposal, and a conclusion.
/// </summary>
public sealed record TeaThread
{
    public int Id { get; init; }
    public required string CommunityId { get; init; }
    /// <summary>
    /// When the thread concerns one building: its number. A proposal then counts that building's owners.
    /// </summary>
    public int? Building { get; init; }
    public required string Title { get; init; }
    public required string AuthorId { get; init; }
    public required string AuthorName { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastPostAt { get; init; }
    public int PostCount { get; init; }
    public bool Pinned { get; init; }
    public bool Locked { get; init; }
    public string? LockReason { get; init; }
    /// <summary>At most one post per person per this many seconds (0: off).</summary>
    public int SlowModeSeconds { get; init; }
    public bool Closed { get; init; }
    public Conclusion? Conclusion { get; init; }
    /// <summary>Timers staff or moderators set: close (lock) the thread at a time, or open it again.</summary>
    public DateTimeOffset? CloseAt { get; init; }
    public DateTimeOffset? ReopenAt { get; init; }
    public Proposal? Proposal { get; init; }
    /// <summary>People who want new posts pushed to their chat (as a digest).</summary>
    public List<string> Followers { get; init; } = [];
    /// <summary>Counts every saved change: a change made to an older version is refused by the store.</summary>
    public int Version { get; init; } = 1;
}

/// <summary>What was decided, who follows it up and by when, and the tickets that carry the work.</summary>
public sealed record Conclusion(
    string Text, string? FollowUpBy, DateOnly? Due, List<string> Tickets, string By, DateTimeOffset At);

/// <summary>A proposal owners vote on, with the kind of matter (which majority it needs) and a deadline.</summary>
public sealed record Proposal
{
    public required string Text { get; init; }
    public required Matter Matter { get; init; }
    public required DateTimeOffset Deadline { get; init; }
    public required string By { get; init; }
    public DateTimeOffset? ReminderSentAt { get; init; }
    /// <summary>Set once the deadline passed: the count is final.</summary>
    public Tally? Final { get; init; }
}

public sealed record Post
{
    public int Id { get; init; }
    public required int ThreadId { get; init; }
    public required string CommunityId { get; init; }
    public required string AuthorId { get; init; }
    public required string AuthorName { get; init; }
    /// <summary>What the author typed (Markdown or plain text).</summary>
    public required string Text { get; init; }
    /// <summary>The text rendered and sanitized: safe to put into a page as HTML.</summary>
    public required string Html { get; init; }
    public int? ReplyTo { get; init; }
    public List<string> Attachments { get; init; } = [];
    /// <summary>Staff named with @name in the text.</summary>
    public List<string> Mentions { get; init; } = [];
    /// <summary>Emoji → who reacted with it.</summary>
    public Dictionary<string, List<string>> Reactions { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EditedAt { get; init; }
    public Hidden? Hidden { get; init; }
    public List<Flag> Flags { get; init; } = [];
    /// <summary>
    /// Counts every saved change (reactions, flags, edits, hiding): a change made to an older version is refused by
    /// the store. Posts written before versions were kept read as 0.
    /// </summary>
    public int Version { get; init; }
}

public sealed record Hidden(string By, string Reason, DateTimeOffset At);

public sealed record Flag(string By, string Reason, DateTimeOffset At);

/// <summary>
/// One unit's vote on a proposal ("{threadId}|{unitId}"): the last owner of the unit to vote speaks for it.
/// </summary>
public sealed record VoteRecord
{
    public required string Id { get; init; }
    public required int ThreadId { get; init; }
    public required string UnitId { get; init; }
    public required string PersonId { get; init; }
    public required Stance Stance { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset At { get; init; }

    public static string IdFor(int threadId, string unitId) => $"{threadId}|{unitId}";
}

/// <summary>A person muted in a community until a time ("{communityId}|{personId}").</summary>
public sealed record Mute
{
    public required string Id { get; init; }
    public required DateTimeOffset Until { get; init; }
    public required string Reason { get; init; }
    public required string By { get; init; }

    public static string IdFor(string communityId, string personId) => $"{communityId}|{personId}";
}

/// <summary>Where a follower's last digest of a thread got to ("{threadId}|{personId}").</summary>
public sealed record DigestMark
{
    public required string Id { get; init; }
    public required int LastPostId { get; init; }
    public DateTimeOffset? SentAt { get; init; }

    public static string IdFor(int threadId, string personId) => $"{threadId}|{personId}";
}

public sealed record ReactionRequest(string? Emoji);
public sealed record TextRequest(string? Text, int? ReplyTo = null, string[]? Attachments = null);
public sealed record NewThreadRequest(string? Title, string? Text, int? Building);
public sealed record ReasonRequest(string? Reason);
public sealed record SlowModeRequest(int? Seconds);
public sealed record MuteRequest(string? PersonId, int? Minutes, string? Reason);
public sealed record ProposalRequest(string? Text, string? Matter, DateTimeOffset? Deadline);
public sealed record VoteRequest(string? Stance, string? Reason);
public sealed record CloseRequest(string? Conclusion, string? FollowUpBy, DateOnly? Due, string[]? Tickets);
public sealed record ScheduleRequest(DateTimeOffset? CloseAt, DateTimeOffset? ReopenAt);

public sealed record PostView(
    int Id, int ThreadId, string AuthorId, string AuthorName, string Html, int? ReplyTo, string[] Attachments,
    Dictionary<string, int> Reactions, string[] Mine, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt,
    HiddenView? Hidden, int Flags);

public sealed record HiddenView(string By, string Reason, DateTimeOffset At);

public sealed record TallyView(
    string Matter, bool Special, DateTimeOffset Deadline, bool Open, Tally Tally, string? MyStance);

public sealed record ThreadView(
    int Id, string CommunityId, int? Building, string Title, string AuthorId, string AuthorName,
    DateTimeOffset CreatedAt, DateTimeOffset LastPostAt, int PostCount, bool Pinned, bool Locked, string? LockReason,
    int SlowModeSeconds, bool Closed, Conclusion? Conclusion, DateTimeOffset? CloseAt, DateTimeOffset? ReopenAt,
    string? ProposalText, TallyView? Vote, bool Following, int Version);

public sealed record ThreadPage(ThreadView Thread, PostView[] Posts, bool More);

public sealed record VoteView(string Unit, string Person, string Stance, string? Reason, DateTimeOffset At);

public sealed record Summary(string Text, string Source, PostView[] MostReacted);

/// <summary>Staff named in a post: who, where, by whom, the start of what was said.</summary>
public sealed record MentionView(
    string PersonId, int ThreadId, string Title, int PostId, string AuthorName, string Snippet);
