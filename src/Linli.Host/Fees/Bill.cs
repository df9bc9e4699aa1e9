using Linli.Calendar;

namespace Linli.Fees;

public enum BillKind { PropertyFee, Parking }

public enum PaymentMethod { WeChatPay, Alipay, BankTransfer, Cash }

/// <summary>One month's charge of one kind for one unit. Money is in yuan as <c>decimal</c>.</summary>
public sealed record Bill
{
    /// <summary>"{unitId}/{period}/{kind}": one bill per unit, month and kind by construction.</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string BuildingId { get; init; }
    public required string UnitId { get; init; }
    public required Period Period { get; init; }
    public required BillKind Kind { get; init; }
    public required decimal AmountDue { get; init; }
    public decimal AmountPaid { get; init; }
    public required DateOnly DueDate { get; init; }

    public decimal Outstanding => AmountDue - AmountPaid;
    public bool IsSettled => AmountPaid >= AmountDue;

    public static string IdFor(string unitId, Period period, BillKind kind) => $"{unitId}/{period}/{kind}";
}

/// <summary>A payment by a unit, settling one or more bills.</summary>
public sealed record Payment
{
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string UnitId { get; init; }
    public required DateTimeOffset PaidAt { get; init; }
    public required PaymentMethod Method { get; init; }
    public required List<PaymentLine> Lines { get; init; }
    /// <summary>The office's receipt (收据) number, e.g. SK-20261115-0003; empty for the demo's seeded history.</summary>
    public string ReceiptNumber { get; init; } = "";
    /// <summary>
    /// Paid beyond every bill owed: kept as credit for bills to come, never counted in a month's collection.
    /// </summary>
    public decimal Prepaid { get; init; }
    /// <summary>
    /// Where the record came from: "counter", or the statement it was imported from ("wechat", "alipay", "bank").
    /// </summary>
    public string Source { get; init; } = "";

    public decimal Amount => Lines.Sum(l => l.Amount);
}

public sealed record PaymentLine(string BillId, decimal Amount);
