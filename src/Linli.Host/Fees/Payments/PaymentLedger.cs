using System.Globalization;
using System.Text.RegularExpressions;
using Linli.Residents;
using Linli.Storage;

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

public sealed class PaymentException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
}

/// <summary>
/// Payments as the office receives them: imported from WeChat Pay, Alipay or bank statements (idempotent by the
/// source's transaction id, previewed first, every row reported), or entered at the counter. A payment settles the
/// flat's oldest unpaid bills first (or the month its remark names, which must then match to the fen); what is paid
/// beyond every bill owed is kept as prepayment. Each gets a receipt number; bills and payment change together.
/// </summary>
public sealed partial class PaymentLedger(LinliDatabase db, ResidentDirectory residents, TimeProvider time)
{
    public const int MaxRows = 20_000;
    private readonly Lock _writes = new();

    public ImportReport Import(string communityId, string source, string csv, bool apply)
    {
        if (!StatementFormat.All.TryGetValue(source, out var format))
            throw new PaymentException(
                "Unknown source", $"source is one of {string.Join(", ", StatementFormat.All.Keys)}.");
        var rows = Csv.Read(csv);
        // Statements open with a few lines about the account; the header is the first row naming the columns we read.
        var headerAt = rows.FindIndex(r => Column(r, format.TransactionId) >= 0 && Column(r, format.Amount) >= 0);
        if (headerAt < 0)
        {
            var named = $"{format.TransactionId[0]}, {format.Time[0]}, {format.Amount[0]} and {format.Remark[0]}";
            throw new PaymentException("No header row", $"A {source} statement has columns {named}.");
        }
        if (rows.Count - headerAt - 1 > MaxRows)
            throw new PaymentException("Too many rows", $"At most {MaxRows} rows per file.");
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
        if (db.Payments.FindById(paymentId) is { } recorded)
            return Line(LineStatus.Duplicate, null, "Already recorded.", receipt: recorded.ReceiptNumber);
        if (FlatIn(remark, communityId) is not { } unit)
            return Line(LineStatus.UnknownFlat, null, $"No flat of this community in '{remark}'.");

        var (lines, prepaid, mismatch) = Allocate(unit.Id, amount, PeriodIn(remark, paidAt));
        if (mismatch is not null) return Line(LineStatus.AmountMismatch, unit.Label, mismatch);
        var note = prepaid > 0 ? $"{prepaid:0.00} kept as prepayment." : null;
        if (!apply) return Line(LineStatus.Ok, unit.Label, note);

        var payment = Save(new Payment
        {
            Id = paymentId, CommunityId = communityId, UnitId = unit.Id, PaidAt = paidAt, Method = format.Method,
            Lines = lines, Prepaid = prepaid, Source = format.Source,
        });
        return Line(LineStatus.Ok, unit.Label, note, receipt: payment.ReceiptNumber);

        ImportLine Line(LineStatus status, string? flat, string? detail, string? receipt = null) =>
            new(number, id, flat, known, status, detail, receipt);
    }

    /// <summary>A positive sum in yuan, to the fen.</summary>
    private static bool IsMoney(decimal amount) => amount > 0 && decimal.Round(amount, 2) == amount;

    /// <summary>A payment taken at the office counter.</summary>
    public Payment Record(string communityId, string flat, decimal amount, PaymentMethod method, string? month)
    {
        if (!IsMoney(amount)) throw new PaymentException("Bad amount", "A positive amount in yuan, to the fen.");
        var unit = residents.FindUnit(flat.Trim(), communityId)
            ?? throw new PaymentException("Unknown flat", $"No flat '{flat}' in this community.");
        Period? period = null;
        if (month is { Length: > 0 })
            period = Period.TryParse(month, out var p)
                ? p
                : throw new PaymentException("Bad month", $"'{month}' is not a month like 2026-10.");
        lock (_writes)
        {
            var (lines, prepaid, mismatch) = Allocate(unit.Id, amount, period);
            if (mismatch is not null) throw new PaymentException("Amount does not match", mismatch);
            return Save(new Payment
            {
                Id = "counter:" + LiteDB.ObjectId.NewObjectId(), CommunityId = communityId, UnitId = unit.Id,
                PaidAt = time.GetUtcNow(), Method = method,
                Lines = lines, Prepaid = prepaid, Source = "counter",
            });
        }
    }

    /// <summary>
    /// The oldest unpaid bills first, or exactly the bills of <paramref name="period"/>; the rest is prepayment.
    /// </summary>
    private (List<PaymentLine> Lines, decimal Prepaid, string? Mismatch) Allocate(
        string unitId, decimal amount, Period? period)
    {
        var open = db.Bills.Find(b => b.UnitId == unitId)
            .Where(b => !b.IsSettled)
            .OrderBy(b => b.Period)
            .ThenBy(b => b.Kind)
            .ToList();
        if (period is { } month)
        {
            var owed = open.Where(b => b.Period == month).ToList();
            var total = owed.Sum(b => b.Outstanding);
            if (total != amount)
                return ([], 0, $"{month} owes {total:0.00}, the payment is {amount:0.00}.");
            return ([.. owed.Select(b => new PaymentLine(b.Id, b.Outstanding))], 0, null);
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
        return (lines, left, null);
    }

    /// <summary>The payment, its receipt number and the bills it settles, in one transaction.</summary>
    private Payment Save(Payment payment) => db.InTransaction(() =>
    {
        var receipted = payment with { ReceiptNumber = NextReceipt(payment.CommunityId, payment.PaidAt) };
        var before = new List<Bill>();
        foreach (var line in receipted.Lines)
        {
            var bill = db.Bills.FindById(line.BillId);
            before.Add(bill);
            db.Bills.Update(bill with { AmountPaid = bill.AmountPaid + line.Amount });
        }
        db.Payments.Insert(receipted);
        FeeTotalsBook.Apply(db, receipted, before);
        return receipted;
    });

    /// <summary>SK-{date}-{n}: numbered per community and day (China time), without gaps.</summary>
    private string NextReceipt(string communityId, DateTimeOffset at)
    {
        var day = at.ToOffset(Period.ChinaOffset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return $"SK-{day}-{db.NextNumber($"receipt|{communityId}|{day}"):D4}";
    }

    private Communities.Unit? FlatIn(string remark, string communityId) =>
        FlatPattern().Match(remark) is { Success: true } m ? residents.FindUnit(m.Value, communityId) : null;

    /// <summary>
    /// A month the remark names: "2026-10", "2026年10月", or "10月" (the latest such month not after the payment).
    /// </summary>
    private static Period? PeriodIn(string remark, DateTimeOffset paidAt)
    {
        if (FullMonth().Match(remark) is { Success: true } full)
        {
            var (year, named) = (full.Groups[1].Value, int.Parse(full.Groups[2].Value, CultureInfo.InvariantCulture));
            if (Period.TryParse($"{year}-{named:D2}", out var p)) return p;
        }
        if (ShortMonth().Match(remark) is { Success: true } m
            && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is >= 1 and <= 12 and var month)
        {
            var local = paidAt.ToOffset(Period.ChinaOffset);
            return Period.Parse($"{(month > local.Month ? local.Year - 1 : local.Year)}-{month:D2}");
        }
        return null;
    }

    /// <summary>The first of <paramref name="names"/> (in their order of preference) that the header has.</summary>
    private static int Column(string[] header, string[] names) =>
        names.Select(n => Array.FindIndex(header, h => h.Trim() == n)).FirstOrDefault(i => i >= 0, -1);

    [GeneratedRegex(@"\d+栋(?:\d+单元)?\d{3,4}")]
    private static partial Regex FlatPattern();

    [GeneratedRegex(@"(\d{4})\s*[-年/.]\s*(\d{1,2})(?!\d)")]
    private static partial Regex FullMonth();

    [GeneratedRegex(@"(?<!\d)(\d{1,2})月")]
    private static partial Regex ShortMonth();
}
