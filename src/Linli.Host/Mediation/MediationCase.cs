using Linli.Calendar;

namespace Linli.Mediation;

/// <summary>What the neighbours disagree about.</summary>
public enum DisputeKind { Noise, Leak, Parking, Pets, Fees, PropertyService, Other }

/// <summary>
/// How a case came in: from a complaint ticket, a resident asking in the chat (申请调解) or on the web, or at the office.
/// </summary>
public enum CaseSource { Complaint, Chat, Web, Office }

public enum PartyRole { Applicant, Respondent, PropertyCompany }

/// <summary>How a case ended. Referred: to a court or another body, which the decision names.</summary>
public enum CaseOutcome { Settled, Failed, Referred, Withdrawn }

/// <summary>
/// One side of a dispute. <see cref="Name"/> is protected (see <see cref="MediationService"/>); a party known only by
/// their flat has none. <see cref="Phone"/> is kept for a party who is not a person Linli knows, and shown only masked.
/// </summary>
public sealed record Party
{
    public string? PersonId { get; init; }
    public string? Name { get; init; }
    /// <summary>"3栋502".</summary>
    public string? Flat { get; init; }
    public required PartyRole Role { get; init; }
    public string? Phone { get; init; }
}

/// <summary>A meeting of the parties with the mediator (调解会), planned or held.</summary>
public sealed record Session(DateTimeOffset At, string Place, List<string> Attendees, string? Notes, string RecordedBy);

public sealed record Decision(CaseOutcome Outcome, DateTimeOffset At, string ById, string? ReferredTo, string? Note);

/// <summary>The return visit (回访) after a decision: has the agreement held?</summary>
public sealed record FollowUp(DateOnly Due, DateTimeOffset? DoneAt, string? Note);

/// <summary>A neighbour dispute before the community's mediation team (调解案件).</summary>
public sealed record MediationCase
{
    /// <summary>"{communityId}/{number}": numbers repeat across communities.</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    /// <summary>TJ-2026-0007: per community and year (China time), without gaps.</summary>
    public required string Number { get; init; }
    public required string Subject { get; init; }
    public required DisputeKind Kind { get; init; }
    public required CaseSource Source { get; init; }
    /// <summary>The complaint ticket it came from (source Complaint).</summary>
    public string? TicketNumber { get; init; }
    /// <summary>What the applicant says happened.</summary>
    public string? Text { get; init; }
    public List<Party> Parties { get; init; } = [];
    public string? MediatorId { get; init; }
    public List<Session> Sessions { get; init; } = [];
    public string? Agreement { get; init; }
    public Decision? Decision { get; init; }
    public FollowUp? FollowUp { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    /// <summary>The person who opened it: the applicant, or the member of staff at the desk.</summary>
    public required string OpenedBy { get; init; }
    public int Version { get; init; } = 1;
    public DateTimeOffset UpdatedAt { get; init; }

    public static string IdFor(string communityId, string number) => $"{communityId}/{number}";

    /// <summary>The year a case opened at <paramref name="at"/> is numbered in: China's.</summary>
    public static int YearOf(DateTimeOffset at) => at.InChina().Year;

    /// <summary>The <paramref name="sequence"/>th case of <paramref name="year"/>.</summary>
    public static string NumberFor(int year, int sequence) => $"TJ-{year}-{sequence:D4}";
}

/// <param name="SettledRate">Settled ÷ (settled + failed + referred), to four places; null when none concluded.</param>
public sealed record MonthlyMediation(Period Period, int Opened, int Settled, int Failed, int Referred, int Withdrawn,
    decimal? SettledRate);
