using Linli.TeaTable;

namespace Linli.MaintenanceFund;

public enum FundEntryKind
{
    /// <summary>A flat's deposit (首期) or a top-up the owners voted to raise (续筹).</summary>
    Contribution,
    /// <summary>Interest the account earned, shared by floor area.</summary>
    Interest,
    /// <summary>Money spent after the owners' vote passed.</summary>
    Withdrawal,
    /// <summary>
    /// Money spent first in an emergency (a lift stopped, the fire mains dry), disclosed and confirmed after.
    /// </summary>
    EmergencyWithdrawal,
}

/// <summary>
/// One movement of the maintenance fund (公维金). Entries are only added. A contribution belongs to one flat; interest
/// and withdrawals belong to the flats of their buildings (all of them when none is named) in proportion to floor
/// area.
/// </summary>
public sealed record FundEntry
{
    /// <summary>"{communityId}/{number:D6}".</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required int Number { get; init; }
    public required FundEntryKind Kind { get; init; }
    /// <summary>Yuan: positive into the fund, negative out of it.</summary>
    public required decimal Amount { get; init; }
    public string? UnitId { get; init; }
    /// <summary>Building numbers whose flats share the entry; empty for the whole community.</summary>
    public List<int> Buildings { get; init; } = [];
    public required DateOnly Date { get; init; }
    public string Note { get; init; } = "";
    /// <summary>
    /// The application a withdrawal spends, and the tea-table vote that allowed it (with its count at the close).
    /// </summary>
    public string? Application { get; init; }
    public int? VoteThread { get; init; }
    public Tally? Vote { get; init; }
    public required string RecordedBy { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }

    public static string IdFor(string communityId, int number) => $"{communityId}/{number:D6}";
}

public sealed record Quote(string Supplier, decimal Amount, string? Proof = null);

/// <summary>
/// An application to use (or raise) the fund: what, for which buildings, an estimate and quotes. It opens a tea-table
/// proposal the owners vote on; money moves only once that vote has passed, except in an emergency.
/// </summary>
public sealed record FundApplication
{
    /// <summary>"{communityId}/{number}".</summary>
    public required string Id { get; init; }
    /// <summary>"WX-2026-03".</summary>
    public required string Number { get; init; }
    public required string CommunityId { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public List<int> Buildings { get; init; } = [];
    public required decimal Estimate { get; init; }
    public List<Quote> Quotes { get; init; } = [];
    public required Matter Matter { get; init; }
    public bool Emergency { get; init; }
    public string? EmergencyReason { get; init; }
    public required int Thread { get; init; }
    public required string By { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? ConfirmedBy { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }

    public static string IdFor(string communityId, string number) => $"{communityId}/{number}";

    /// <summary>The <paramref name="sequence"/>th application of <paramref name="year"/> (China time).</summary>
    public static string NumberFor(int year, int sequence) => $"WX-{year}-{sequence:D2}";
}

public enum ApplicationStatus { Voting, Approved, Rejected, NoQuorum, Spent, AwaitingConfirmation, Confirmed }

public sealed record ApplicationRequest(
    string? Title,
    string? Description,
    int[]? Buildings,
    decimal? Estimate,
    Quote[]? Quotes,
    string? Matter,
    DateTimeOffset? Deadline,
    bool? Emergency,
    string? EmergencyReason);

public sealed record SpendRequest(decimal? Amount, string? Payee, string? Note);

public sealed record ContributionRequest(string? Flat, decimal? Amount, string? Note);

public sealed record InterestRequest(decimal? Amount, DateOnly? Date, string? Note);

public sealed record ApplicationView(
    string Number,
    string Title,
    string Description,
    int[] Buildings,
    decimal Estimate,
    Quote[] Quotes,
    string Matter,
    bool Emergency,
    string? EmergencyReason,
    ApplicationStatus Status,
    int Thread,
    decimal Spent,
    Tally? Vote,
    DateTimeOffset At,
    string? ConfirmedBy);

public sealed record BuildingBalance(int Building, decimal Balance);

public sealed record FundSummary(
    decimal Balance,
    decimal Contributions,
    decimal Interest,
    decimal Withdrawals,
    decimal Emergency,
    BuildingBalance[] Buildings,
    decimal? MyFlat,
    string? MyFlatLabel);
