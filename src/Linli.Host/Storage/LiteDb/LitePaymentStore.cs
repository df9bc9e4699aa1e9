using Linli.Fees;

namespace Linli.Storage.LiteDb;

public sealed class LitePaymentStore(LinliDatabase db) : IPaymentStore
{
    // A check and the write it allows go together: one payment at a time, each in its transaction (LiteDB reads
    // outside a write lock, so two transactions alone could both pay one bill or take one receipt number).
    private readonly Lock _writes = new();

    public Payment? Find(string communityId, string id) =>
        db.Payments.FindById(id) is { } payment && payment.CommunityId == communityId ? payment : null;

    public IReadOnlyList<Payment> LatestFor(string communityId, string unitId, int take) =>
        // Through the UnitId index; a flat's payments are few.
        db.Payments.Find(p => p.UnitId == unitId)
            .Where(p => p.CommunityId == communityId)
            .OrderByDescending(p => p.PaidAt)
            .Take(take)
            .ToList();

    public PaymentRecording Record(Payment payment, string buildingId)
    {
        lock (_writes)
            return db.InTransaction(() => RecordOnce(payment, buildingId));
    }

    private PaymentRecording RecordOnce(Payment payment, string buildingId)
    {
        if (db.Payments.FindById(payment.Id) is { } recorded)
            return new PaymentRecording(RecordOutcome.AlreadyRecorded,
                recorded.CommunityId == payment.CommunityId ? recorded : null);
        var before = payment.Lines.Select(line => BillOf(payment, line)).ToList();
        if (payment.Lines.Zip(before).Any(paid => paid.First.Amount > paid.Second.Outstanding))
            return new PaymentRecording(RecordOutcome.BillsChanged, null);

        var day = Receipts.Day(payment.PaidAt);
        var receipted = payment with
        {
            ReceiptNumber = Receipts.Number(day, db.NextNumber($"receipt|{payment.CommunityId}|{day}")),
        };
        foreach (var (line, bill) in payment.Lines.Zip(before))
            db.Bills.Update(bill with { AmountPaid = bill.AmountPaid + line.Amount });
        db.Payments.Insert(receipted);

        // The flat's bills once, as they are now; "before" says how the paid ones were.
        var now = db.Bills.Find(b => b.UnitId == payment.UnitId).ToList();
        LiteFeeTotals.Add(db, FeeTotalsBook.Changes(receipted, buildingId, before, now));
        db.FlatArrears.Upsert(FlatArrears.Of(payment.UnitId, payment.CommunityId, now));
        LiteFeeTotals.NextVersion(db, payment.CommunityId);
        return new PaymentRecording(RecordOutcome.Recorded, receipted);
    }

    private Bill BillOf(Payment payment, PaymentLine line) =>
        db.Bills.FindById(line.BillId) is { } bill && bill.UnitId == payment.UnitId
            && bill.CommunityId == payment.CommunityId && payment.Lines.Count(l => l.BillId == bill.Id) == 1
            ? bill
            : throw new ArgumentException($"{line.BillId} is not one bill of flat {payment.UnitId}.", nameof(payment));
}
