using Linli.Calendar;

namespace Linli.PublicRevenue;

/// <summary>Where public income (公共收益) comes from: the common parts the owners own together.</summary>
public enum RevenueSource
{
    Parking, Advertising, LiftAdvertising, EvCharging, VenueRental, ExpressLockers, Recycling, Other,
}

/// <summary>What public income is spent on.</summary>
public enum SpendingPurpose { Repairs, Greening, Activities, Cleaning, Security, Tax, Management, Other }

public enum LineKind { Income, Spending }

/// <summary>
/// How far a month's accounts have come: recorded, closed and waiting, questioned, or audited by the owners.
/// </summary>
public enum MonthStatus { Open, Pending, Objected, Audited }

/// <summary>
/// One line of a community's public revenue ledger. Lines are only ever added: a mistake is corrected by a reversing
/// line carrying the opposite amount and the number of the line it reverses.
/// </summary>
public sealed record LedgerLine
{
    /// <summary>"{communityId}/{number:D6}".</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required int Number { get; init; }
    public required LineKind Kind { get; init; }
    public RevenueSource? Source { get; init; }
    public SpendingPurpose? Purpose { get; init; }
    /// <summary>Who paid (a parking operator, an advertiser) or was paid (a contractor).</summary>
    public required string Counterparty { get; init; }
    /// <summary>The month the money belongs to.</summary>
    public required Period Period { get; init; }
    /// <summary>Yuan, positive; a reversing line carries the negative of the line it reverses.</summary>
    public required decimal Amount { get; init; }
    public string Note { get; init; } = "";
    /// <summary>Ids of contracts, invoices and receipts (photos or PDF) in the proof store.</summary>
    public List<string> Proofs { get; init; } = [];
    public int? Reverses { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required string RecordedBy { get; init; }

    public static string IdFor(string communityId, int number) => $"{communityId}/{number:D6}";

    /// <summary>What the line does to the balance: income adds, spending takes away.</summary>
    public decimal Signed => Kind == LineKind.Income ? Amount : -Amount;
}

/// <summary>A closed month: its figures fixed at closing; lines for it are refused from then on.</summary>
public sealed record MonthClose
{
    /// <summary>"{communityId}/{period}".</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required Period Period { get; init; }
    public required decimal Opening { get; init; }
    public required decimal Income { get; init; }
    public required decimal Spending { get; init; }
    public required decimal Closing { get; init; }
    public required DateTimeOffset ClosedAt { get; init; }
    public required string ClosedBy { get; init; }

    public static string IdFor(string communityId, Period period) => $"{communityId}/{period}";
}

/// <summary>An auditor's signature under a closed month (签字确认).</summary>
public sealed record SignOff
{
    /// <summary>"{communityId}/{period}/{personId}": one signature per auditor and month.</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required Period Period { get; init; }
    public required string PersonId { get; init; }
    public required string Name { get; init; }
    public string Note { get; init; } = "";
    public required DateTimeOffset At { get; init; }
}

/// <summary>An auditor's question about one line, which the office must answer in writing.</summary>
public sealed record Objection
{
    public int Id { get; init; }
    public required string CommunityId { get; init; }
    public required Period Period { get; init; }
    public required int LineNumber { get; init; }
    public required string PersonId { get; init; }
    public required string Name { get; init; }
    public required string Text { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? Answer { get; init; }
    public string? AnsweredBy { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
}

/// <summary>An owner the committee chose to audit the accounts beside its own members.</summary>
public sealed record Auditor
{
    /// <summary>"{communityId}/{personId}".</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string PersonId { get; init; }
    public required string Name { get; init; }
    public required string AppointedBy { get; init; }
    public required DateTimeOffset At { get; init; }

    public static string KeyFor(string communityId, string? personId) => $"{communityId}/{personId}";
}

public sealed class RevenueOptions
{
    public const string SectionName = "PublicRevenue";
    /// <summary>Signatures a closed month needs to show as audited.</summary>
    public int RequiredSignOffs { get; set; } = 2;
}

public sealed record NewLine(
    string? Kind,
    string? Source,
    string? Purpose,
    string? Counterparty,
    string? Period,
    decimal? Amount,
    string? Note,
    string[]? Proofs);

public sealed record ReversalRequest(string? Note, string? Period);

public sealed record TextBody(string? Text);

public sealed record AppointRequest(string? Flat, string? Name);

public sealed record SourceTotal(string Name, decimal Amount);

public sealed record ObjectionView(
    int Id,
    int LineNumber,
    string By,
    string Text,
    DateTimeOffset At,
    string? Answer,
    string? AnsweredBy,
    DateTimeOffset? AnsweredAt);

/// <summary>
/// A month as owners read it: every line, where the money came from and went, and how far the audit is.
/// </summary>
public sealed record MonthView(
    Period Period,
    MonthStatus Status,
    decimal Opening,
    decimal Income,
    decimal Spending,
    decimal Closing,
    SourceTotal[] IncomeBySource,
    SourceTotal[] SpendingByPurpose,
    LedgerLine[] Lines,
    string[] SignedBy,
    int SignOffsNeeded,
    ObjectionView[] Objections,
    DateTimeOffset? ClosedAt);

public sealed record MonthSummary(Period Period, MonthStatus Status, decimal Income, decimal Spending, decimal Closing);
