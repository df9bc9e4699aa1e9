using System.Globalization;
using Linli.Calendar;
using Linli.Communities;
using Linli.Hosting;
using Linli.Residents;
using Linli.Storage;

namespace Linli.Fees.Payments;

/// <summary>
/// Payments as the office receives them: imported from WeChat Pay, Alipay or bank statements (idempotent by the
/// source's transaction id, previewed first, every row reported), or entered at the counter. A payment settles the
/// flat's oldest unpaid bills first (or the month its remark names, which must then match to the fen); what is paid
/// beyond every bill owed is kept as prepayment. Each gets a receipt number; bills and payment change together.
/// </summary>
public sealed class PaymentLedger(
    IPaymentStore payments,
    IFeeStore fees,
    ResidentDirectory residents,
    TimeProvider time)
{
    public const int MaxRows = 20_000;

    /// <summary>One write at a time in this process, so allocations here never race each other.</summary>
    private readonly Lock _writes = new();

    public ImportReport Import(string communityId, string source, string csv, bool apply)
    {
        if (!StatementFormat.All.TryGetValue(source, out var format))
            throw DomainProblem.Bad("fees.unknown_source", new { names = string.Join(", ", StatementFormat.All.Keys) });
        var rows = Csv.Read(csv);
        // Statements open with a few lines about the account; the header is the first row naming the columns we read.
        var headerAt = rows.FindIndex(r => Column(r, format.TransactionId) >= 0 && Column(r, format.Amount) >= 0);
        if (headerAt < 0)
        {
            var named = $"{format.TransactionId[0]}, {format.Time[0]}, {format.Amount[0]} and {format.Remark[0]}";
            throw DomainProblem.Bad("fees.no_header_row", new { source, named });
        }
        if (rows.Count - headerAt - 1 > MaxRows)
            throw DomainProblem.Bad("fees.too_many_rows", new { maxRows = MaxRows });
        var header = rows[headerAt];
        var columns = new Columns(
            Column(header, format.TransactionId),
            Column(header, format.Time),
            Column(header, format.Amount),
            Column(header, format.Remark));

        var lines = new List<ImportLine>();
        var seen = new HashSet<string>();
        lock (_writes)
        {
            for (var i = headerAt + 1; i < rows.Count; i++)
            {
                var row = rows[i];
                // The statement's summary closes its rows.
                if (row[0].StartsWith("总") || row[0].StartsWith("合计")) break;
                if (row.All(string.IsNullOrWhiteSpace) || row[0].StartsWith('#')) continue;
                lines.Add(ImportRow(communityId, format, i + 1, row, columns, seen, apply));
            }
        }
        var accepted = lines.Where(l => l.Status == LineStatus.Ok).ToList();
        var acceptedAmount = accepted.Sum(l => l.Amount ?? 0);
        return new ImportReport(source, apply, lines.Count, accepted.Count, acceptedAmount, [.. lines]);
    }

    /// <summary>Where a statement keeps each field (-1: it has no such column).</summary>
    private sealed record Columns(int Id, int Time, int Amount, int Remark);

    private ImportLine ImportRow(string communityId, StatementFormat format, int number, string[] row, Columns at,
        HashSet<string> seen, bool apply)
    {
        string Cell(int column) => column >= 0 && column < row.Length ? row[column] : "";
        var (id, remark) = (Cell(at.Id), Cell(at.Remark));
        if (id.Length == 0)
            return new ImportLine(number, null, null, null, LineStatus.Unreadable, "No transaction id.", null);

        decimal? known = null;   // the amount, once it reads as one
        var amountText = Cell(at.Amount).Replace("¥", "").Replace(",", "");
        var readable = decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount);
        if (!readable || !IsMoney(amount))
            return Line(LineStatus.Unreadable, null, $"'{Cell(at.Amount)}' is not an amount received.");
        known = amount;
        if (!StatementFormat.TryParseTime(Cell(at.Time), out var paidAt))
            return Line(LineStatus.Unreadable, null, $"'{Cell(at.Time)}' is not a time.");

        var paymentId = $"{format.Source}:{id}";
        if (!seen.Add(paymentId))
            return Line(LineStatus.Duplicate, null, "Already recorded.");
        if (payments.Find(communityId, paymentId) is { } recorded)
            return Line(LineStatus.Duplicate, null, "Already recorded.", receipt: recorded.ReceiptNumber);
        if (FlatIn(remark, communityId) is not { } unit)
            return Line(LineStatus.UnknownFlat, null, $"No flat of this community in '{remark}'.");

        Payment Paid(Allocation allocation) => new()
        {
            Id = paymentId, CommunityId = communityId, UnitId = unit.Id, PaidAt = paidAt, Method = format.Method,
            Lines = allocation.Lines, Prepaid = allocation.Prepaid, Source = format.Source,
        };
        var (allocated, recording) = Settle(unit, amount, Remarks.Month(remark, paidAt), apply ? Paid : null);
        if (allocated.Mismatch is { } mismatch) return Line(LineStatus.AmountMismatch, unit.Label, mismatch);
        var note = allocated.Prepaid > 0 ? $"{allocated.Prepaid:0.00} kept as prepayment." : null;
        return recording switch
        {
            null => Line(LineStatus.Ok, unit.Label, note),
            // Recorded meanwhile: by a retry of this import elsewhere.
            { Outcome: RecordOutcome.AlreadyRecorded } => Line(LineStatus.Duplicate, null, "Already recorded.",
                receipt: recording.Payment?.ReceiptNumber),
            _ => Line(LineStatus.Ok, unit.Label, note, receipt: recording.Payment!.ReceiptNumber),
        };

        ImportLine Line(LineStatus status, string? flat, string? detail, string? receipt = null) =>
            new(number, id, flat, known, status, detail, receipt);
    }

    /// <summary>A positive sum in yuan, to the fen.</summary>
    private static bool IsMoney(decimal amount) => amount > 0 && decimal.Round(amount, 2) == amount;

    /// <summary>A payment taken at the office counter.</summary>
    public CounterReceipt Record(string communityId, string flat, decimal amount, PaymentMethod method, string? month)
    {
        if (!IsMoney(amount)) throw DomainProblem.Bad("fees.bad_amount");
        var unit = residents.FindUnit(flat.Trim(), communityId)
            ?? throw DomainProblem.Bad("fees.unknown_flat", new { flat });
        Period? period = null;
        if (month is { Length: > 0 })
            period = Period.TryParse(month, out var p)
                ? p
                : throw DomainProblem.Bad("fees.bad_month", new { month });
        var id = "counter:" + Ids.New();
        lock (_writes)
        {
            var paidAt = time.GetUtcNow();
            var (allocated, recording) = Settle(unit, amount, period, allocation => new Payment
            {
                Id = id, CommunityId = communityId, UnitId = unit.Id, PaidAt = paidAt, Method = method,
                Lines = allocation.Lines, Prepaid = allocation.Prepaid, Source = "counter",
            });
            if (allocated.Mismatch is { } mismatch) throw DomainProblem.Bad("fees.amount_mismatch", new { mismatch });
            return new CounterReceipt(recording!.Payment!, unit.Label);
        }
    }

    /// <param name="Mismatch">Why the amount cannot pay the month named, when it cannot.</param>
    private sealed record Allocation(List<PaymentLine> Lines, decimal Prepaid, string? Mismatch);

    /// <summary>
    /// Allocates the amount over the flat's bills as they are and, unless previewing (<paramref name="payment"/>
    /// null), records the payment made from the allocation. When another payment to the flat landed in between
    /// (another instance on the same database), the bills are read and allocated again.
    /// </summary>
    private (Allocation Allocation, PaymentRecording? Recording) Settle(Unit unit, decimal amount, Period? period,
        Func<Allocation, Payment>? payment)
    {
        return Optimistic.Retry<(Allocation, PaymentRecording?)>(() =>
        {
            var allocation = Allocate(unit, amount, period);
            if (allocation.Mismatch is not null || payment is null) return (allocation, null);
            var recording = payments.Record(payment(allocation), unit.BuildingId);
            if (recording.Outcome == RecordOutcome.BillsChanged) return Optimistic.Lost;
            return (allocation, recording);
        }, () => DomainProblem.Conflict("fees.bills_changed", new { label = unit.Label }));
    }

    /// <summary>
    /// The oldest unpaid bills first, or exactly the bills of <paramref name="period"/>; the rest is prepayment.
    /// </summary>
    private Allocation Allocate(Unit unit, decimal amount, Period? period)
    {
        var open = fees.BillsFor(unit.CommunityId, unit.Id).Where(b => !b.IsSettled).ToList();
        if (period is { } month)
        {
            var owed = open.Where(b => b.Period == month).ToList();
            var total = owed.Sum(b => b.Outstanding);
            if (total != amount)
                return new([], 0, $"{month} owes {total:0.00}, the payment is {amount:0.00}.");
            return new([.. owed.Select(b => new PaymentLine(b.Id, b.Outstanding))], 0, null);
        }
        var lines = new List<PaymentLine>();
        var left = amount;
        foreach (var bill in open)
        {
            if (left == 0) break;
            var part = Math.Min(left, bill.Outstanding);
            lines.Add(new PaymentLine(bill.Id, part));
            left -= part;
        }
        return new(lines, left, null);
    }

    private Unit? FlatIn(string remark, string communityId) =>
        Remarks.Flat(remark) is { } flat ? residents.FindUnit(flat, communityId) : null;

    /// <summary>The first of <paramref name="names"/> (in their order of preference) that the header has.</summary>
    private static int Column(string[] header, string[] names) =>
        names.Select(n => Array.FindIndex(header, h => h.Trim() == n)).FirstOrDefault(i => i >= 0, -1);
}
