using Linli.Calendar;

namespace Linli.Projects;

/// <summary>
/// Where a community project stands. Forward only, one step at a time: Planned → Funding → InProgress (by
/// <c>/status</c>), InProgress → Accepted (only by recording the acceptance), Accepted → Closed (by <c>/status</c>,
/// only when the final account balances).
/// </summary>
public enum ProjectStatus { Planned, Funding, InProgress, Accepted, Closed }

/// <summary>Where money for a project comes from (Quanzhou's reform mixes them in one project).</summary>
public enum FundingSource { ResidentContributions, MaintenanceFund, Charity, Company, GovernmentTopUp, Other }

public enum MoneyLineKind { Pledge, Receipt, Expense }

/// <summary>
/// A community project (a dry fire main refilled, a lift renewed) with its money and progress. One document holds the
/// project and all its lines: a project has tens of lines, not thousands; its page and its final account read every
/// one of them at once; and appending a line, checking the status and moving it then change one document, so no
/// transaction spans collections and no line can ever be found without its project.
/// </summary>
public sealed record Project
{
    /// <summary>"{communityId}/{number}": numbers are per community.</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    /// <summary>"XM-2026-01": per community and year (China time), without gaps.</summary>
    public required string Number { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public required decimal Budget { get; init; }
    public ProjectStatus Status { get; init; } = ProjectStatus.Planned;
    public required string CreatedById { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Every status change: when each step was taken, and by whom.</summary>
    public List<StatusChange> History { get; init; } = [];
    /// <summary>Pledges, receipts and expenses as recorded: never changed or removed, only reversed.</summary>
    public List<MoneyLine> Lines { get; init; } = [];
    public List<ProgressUpdate> Updates { get; init; } = [];
    public Acceptance? Acceptance { get; init; }
    /// <summary>One more with every change: a change made from an older version is refused, not lost.</summary>
    public int Version { get; init; }

    public static string IdFor(string communityId, string number) => $"{communityId}/{number}";

    /// <summary>"XM-2026-": the numbers of the projects created in that year (China time).</summary>
    public static string YearPrefix(DateTimeOffset createdAt) =>
        $"XM-{createdAt.InChina().Year}-";

    /// <summary>The <paramref name="sequence"/>th project created in that year.</summary>
    public static string NumberFor(DateTimeOffset createdAt, int sequence) =>
        $"{YearPrefix(createdAt)}{sequence:00}";
}

public sealed record StatusChange
{
    public required ProjectStatus From { get; init; }
    public required ProjectStatus To { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string By { get; init; }
}

/// <summary>
/// One line of money. A pledge and a receipt name a <see cref="Source"/> and a funder in <see cref="Party"/>; an
/// expense names what in <see cref="What"/> and the payee in <see cref="Party"/>. A reversal is a line of the same
/// kind, source and party with the opposite amount, naming the line it reverses.
/// </summary>
public sealed record MoneyLine
{
    /// <summary>P1, R1, E1…: the kind's letter and its count within the project.</summary>
    public required string Id { get; init; }
    public required MoneyLineKind Kind { get; init; }
    public FundingSource? Source { get; init; }
    /// <summary>The funder (pledge, receipt) or the payee (expense). Residents as a group: "业主自筹（126户）".</summary>
    public required string Party { get; init; }
    public string? What { get; init; }
    public required decimal Amount { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>A bank transaction, a maintenance-fund withdrawal id, an invoice number.</summary>
    public string? Reference { get; init; }
    /// <summary>Proof of a receipt or invoices of an expense: images of the community's uploads.</summary>
    public List<string> UploadIds { get; init; } = [];
    /// <summary>An expense carrying the balance away, to funders or the fund named in <see cref="Party"/>.</summary>
    public bool Refund { get; init; }
    public string? Reverses { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required string RecordedBy { get; init; }
}

public sealed record ProgressUpdate
{
    public required string Text { get; init; }
    public List<string> PhotoIds { get; init; } = [];
    public required DateTimeOffset At { get; init; }
    public required string By { get; init; }
}

/// <summary>验收: who inspected and accepted the works, as they sign the record.</summary>
public sealed record Acceptance
{
    public required string AcceptedBy { get; init; }
    public required DateOnly Date { get; init; }
    public string? Note { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required string RecordedBy { get; init; }
}

/// <summary>One source's lines in the final account.</summary>
/// <param name="Outstanding">Pledged − received: negative when more came in than was promised.</param>
/// <param name="Unpledged">Money came from this source although nothing was pledged: allowed, and shown.</param>
public sealed record SourceAccount(FundingSource Source, string Name, decimal Pledged, decimal Received,
    decimal Outstanding, bool Unpledged);

/// <summary>
/// 决算, to the fen: by source, then totals. <see cref="Balance"/> = received − spent (refunds are spent); a project
/// closes only when it is zero.
/// </summary>
public sealed record FinalAccount(string Number, ProjectStatus Status, decimal Budget, SourceAccount[] Sources,
    decimal Pledged, decimal Received, decimal Spent, decimal Refunded, decimal Balance, bool Balanced);

/// <summary>What the chat and dashboards say about a project still open.</summary>
public sealed record ProjectProgress(string Number, string Title, ProjectStatus Status, decimal Budget, decimal Pledged,
    decimal Received, decimal Spent, decimal PercentFunded, string? LastUpdate, DateTimeOffset? LastUpdateAt);

public static class FundingSources
{
    /// <summary>The names owners know, for the account sheet.</summary>
    public static string Chinese(FundingSource source) => source switch
    {
        FundingSource.ResidentContributions => "业主自筹",
        FundingSource.MaintenanceFund => "公维金",
        FundingSource.Charity => "慈善捐赠",
        FundingSource.Company => "企业资助",
        FundingSource.GovernmentTopUp => "以奖代补",
        _ => "其他",
    };
}
