namespace Linli.Mediation;

/// <param name="Role">Applicant by default.</param>
public sealed record PartyInput(string? PersonId, string? Name, string? Flat, PartyRole? Role, string? Phone);

/// <param name="TicketNumber">The complaint it comes from: its reporter becomes the applicant.</param>
public sealed record OpenCase(string? TicketNumber, string? Subject, string? Kind, string? Text, PartyInput[]? Parties);

public sealed record MediatorChoice(string? PersonId);

public sealed record SessionInput(DateTimeOffset? At, string? Place, string[]? Attendees, string? Notes);

public sealed record AgreementInput(string? Text);

/// <param name="ReferredTo">Required for Referred: "思明区人民法院".</param>
public sealed record OutcomeInput(CaseOutcome? Outcome, string? ReferredTo, string? Note);

/// <param name="Done">True records the visit as made now.</param>
public sealed record FollowUpInput(DateOnly? Due, bool? Done, string? Note);

/// <summary>Why the caller sees a case, which decides what they see and may do.</summary>
public enum CaseAccess { Manager, Mediator, Party, Opener }

public sealed record PartyView(string? PersonId, string Name, string? Flat, PartyRole Role, string? Phone);

public sealed record SessionView(DateTimeOffset At, string Place, string[] Attendees, string? Notes);

public sealed record CaseView(string Number, string Subject, DisputeKind Kind, string KindLabel, CaseSource Source,
    string? TicketNumber, string? Text, PartyView[] Parties, string? MediatorId, string? Mediator,
    SessionView[] Sessions, string? Agreement, Decision? Decision, FollowUp? FollowUp, DateTimeOffset OpenedAt,
    CaseAccess Access, int Version);
