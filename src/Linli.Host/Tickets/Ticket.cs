namespace Linli.Tickets;

/// <summary>Where a ticket is. WaitingOnResident pauses its clock until the resident answers.</summary>
public enum TicketStatus { New, Assigned, InProgress, Resolved, Closed, Reopened, WaitingOnResident }

/// <summary>
/// One model for everything a resident reports: repairs, complaints, hazards, emergencies, mediation, requests for a
/// person.
/// </summary>
public sealed record Ticket
{
    public required string Id { get; init; }
    /// <summary>What residents quote: BX-20261126-0001.</summary>
    public required string Number { get; init; }
    /// <summary>
    /// The intent that opened it: repair_request, complaint, hazard_report, emergency, mediation, human_handoff.
    /// </summary>
    public required string Kind { get; init; }
    /// <summary>Whose staff handle it; nobody else sees it.</summary>
    public required string CommunityId { get; init; }
    public string? Category { get; init; }
    public string? UnitId { get; init; }
    /// <summary>Where: a flat label or a described place.</summary>
    public string? Location { get; init; }
    public string? Text { get; init; }
    public List<string> Attachments { get; init; } = [];
    public string Urgency { get; init; } = "normal";
    public Dictionary<string, string> Answers { get; init; } = [];
    public required TicketReporter Reporter { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset RespondBy { get; init; }
    public required DateTimeOffset ResolveBy { get; init; }
    public TicketStatus Status { get; init; } = TicketStatus.New;
    /// <summary>
    /// Goes up by one with every change; a console sends the version it saw (If-Match) and loses to a newer one.
    /// A line of the conversation is not a change (see <see cref="Revision"/>).
    /// </summary>
    public int Version { get; init; } = 1;
    /// <summary>
    /// Goes up by one with every write, conversation lines included: the store refuses a write made from a ticket read
    /// before another write landed (<see cref="ITicketStore.TryReplace"/>), and the writer reads again and re-applies.
    /// </summary>
    public long Revision { get; init; }
    /// <summary>When anything about it last changed; consoles catch up from here after a dropped connection.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>
    /// When it was found past its respond-by or resolve-by time (marked once; staff were paged then).
    /// </summary>
    public DateTimeOffset? RespondBreachedAt { get; init; }
    public DateTimeOffset? ResolveBreachedAt { get; init; }
    /// <summary>
    /// Since when the clock stands still, waiting on the resident's answer; the time left is given back when they
    /// answer.
    /// </summary>
    public DateTimeOffset? PausedAt { get; init; }
    /// <summary>The person (staff) it is with, if anyone.</summary>
    public string? AssigneeId { get; init; }
    /// <summary>The resident's rating after resolution, 1–5, and what they said.</summary>
    public int? Rating { get; init; }
    public string? RatingComment { get; init; }
    /// <summary>Emergencies only: who was paged when, and the 1-3-5 ladder.</summary>
    public EmergencyLadder? Ladder { get; init; }
    public List<TicketEvent> History { get; init; } = [];
    /// <summary>What the resident and staff said to each other while a person handled the conversation.</summary>
    public List<TicketMessage> Messages { get; init; } = [];
    /// <summary>Staff's internal notes: never shown to the resident.</summary>
    public List<TicketNote> Notes { get; init; } = [];
    /// <summary>"{channel}|{conversation}|{activity}|{kind}": the same message never opens two tickets.</summary>
    public required string SourceKey { get; init; }
}

/// <summary>Who reported it and where to tell them about progress.</summary>
public sealed record TicketReporter(string ChannelId, string UserId, string ConversationId, string? PersonId);

public sealed record TicketEvent(DateTimeOffset At, TicketStatus Status, string By, string? Note);

public sealed record TicketNote(DateTimeOffset At, string By, string Text);

/// <summary>
/// The 1-3-5 ladder of an emergency: acknowledged within 1 minute, on the way within 3, on site within 5,
/// each step time-stamped. A page nobody acknowledges within a minute goes to the next person on the roster.
/// </summary>
public sealed record EmergencyLadder
{
    public List<EmergencyPage> Pages { get; init; } = [];
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? OnTheWayAt { get; init; }
    public DateTimeOffset? OnSiteAt { get; init; }
}

public sealed record EmergencyPage(string PersonId, DateTimeOffset At);

/// <summary>
/// Who is on duty in a community, in the order they are paged, and whose turn the round robin gave last.
/// </summary>
public sealed record DutyRoster
{
    /// <summary>The community id.</summary>
    public required string Id { get; init; }
    /// <summary>
    /// In paging order; empty when none was set (the document may keep only the round robin's place).
    /// </summary>
    public required List<string> PersonIds { get; init; }
    /// <summary>Who got the last round-robin ticket (轮训); the next goes to the one after them.</summary>
    public string? LastRoundRobin { get; init; }
}

/// <summary>One line of a ticket's conversation while a person handles it.</summary>
public sealed record TicketMessage(DateTimeOffset At, string From, string Text);

/// <summary>Where each status may go next.</summary>
public static class TicketTransitions
{
    private static readonly TicketStatus[] Working =
    [
        TicketStatus.Assigned, TicketStatus.InProgress, TicketStatus.WaitingOnResident, TicketStatus.Resolved,
        TicketStatus.Closed,
    ];

    private static readonly Dictionary<TicketStatus, TicketStatus[]> Allowed = new()
    {
        [TicketStatus.New] = Working,
        [TicketStatus.Assigned] = Working,
        [TicketStatus.InProgress] = [.. Working.Where(s => s != TicketStatus.InProgress)],
        [TicketStatus.WaitingOnResident] = [.. Working.Where(s => s != TicketStatus.WaitingOnResident)],
        [TicketStatus.Resolved] = [TicketStatus.Closed, TicketStatus.Reopened],
        [TicketStatus.Closed] = [TicketStatus.Reopened],
        [TicketStatus.Reopened] = Working,
    };

    public static bool CanGo(TicketStatus from, TicketStatus to) => Allowed[from].Contains(to);
}
