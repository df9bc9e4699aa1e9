namespace Linli.Fees.Payments;

public enum LineStatus { Ok, Duplicate, UnknownFlat, AmountMismatch, Unreadable }

/// <summary>One statement row and what became of it.</summary>
public sealed record ImportLine(
    int Row,
    string? TransactionId,
    string? Flat,
    decimal? Amount,
    LineStatus Status,
    string? Detail,
    string? ReceiptNumber);

/// <param name="Applied">False for a preview: nothing was recorded.</param>
public sealed record ImportReport(
    string Source,
    bool Applied,
    int Rows,
    int Accepted,
    decimal AcceptedAmount,
    ImportLine[] Lines);

/// <summary>A payment taken at the counter, and the flat it was for as the office writes it ("3栋502").</summary>
public sealed record CounterReceipt(Payment Payment, string Flat);
