namespace Linli.Projects;

public sealed record NewProject(string? Title, string? Description, decimal? Budget);

public sealed record PledgeRequest(string? Source, string? Funder, decimal? Amount, DateOnly? Date);

public sealed record ReceiptRequest(string? Source, string? Funder, decimal? Amount, DateOnly? Date, string? Reference,
    string[]? ProofUploadIds);

/// <param name="Refund">The balance carried away: Payee names where it went (returned to funders, to the fund).</param>
public sealed record ExpenseRequest(string? What, string? Payee, decimal? Amount, DateOnly? Date, string? Reference,
    string[]? InvoiceUploadIds, bool? Refund);

public sealed record ReversalRequest(string? LineId, string? Reason);

public sealed record UpdateRequest(string? Text, string[]? PhotoUploadIds);

public sealed record StatusRequest(string? Status);

public sealed record AcceptanceRequest(string? AcceptedBy, DateOnly? Date, string? Note);
