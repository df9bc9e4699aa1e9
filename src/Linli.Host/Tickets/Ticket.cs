namespace Linli.Tickets;

public enum TicketStatus { New, Assigned, InProgress, Resolved, Closed, Reopened }

/// <summary>One model for everything a resident reports: repairs, complaints, hazards, emergencies, mediation, requests for a person.</summary>
public sealed record Ticket
{
    public required string Id { get; init; }
    /// <summary>What residents quote: BX-20261126-0001.</summary>
    public required string Number { get; init; }
    /// <summary>The intent that opened it: repair_request, complaint, hazard_report, emergency, mediation, human_handoff.</summary>
    public required string Kind { get; init; }
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
    public List<TicketEvent> History { get; init; } = [];
    /// <summary>"{channel}|{conversation}|{activity}|{kind}": the same message never opens two tickets.</summary>
    public required string SourceKey { get; init; }
}

/// <summary>Who reported it and where to tell them about progress.</summary>
public sealed record TicketReporter(string ChannelId, string UserId, string ConversationId, string? PersonId);

public sealed record TicketEvent(DateTimeOffset At, TicketStatus Status, string By, string? Note);
