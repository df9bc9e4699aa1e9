namespace Linli.Fees;

public enum RecordOutcome
{
    /// <summary>The payment, its receipt number, the bills it pays, the totals and the arrears: all landed.</summary>
    Recorded,

    /// <summary>A payment with this id was recorded before (a retried import): nothing changed.</summary>
    AlreadyRecorded,

    /// <summary>
    /// A line asks more than its bill still owes: another payment to the flat landed since the bills were read.
    /// Nothing changed; allocate again from the bills as they are now.
    /// </summary>
    BillsChanged,
}

/// <param name="Payment">
/// Recorded: the payment with its receipt number. AlreadyRecorded: the one recorded before under the id, when it is
/// the same community's. Otherwise null.
/// </param>
public sealed record PaymentRecording(RecordOutcome Outcome, Payment? Payment);

/// <summary>
/// Where payments are kept. Ids come from the caller ("{source}:{transaction id}" for imports, so a statement
/// imported twice records each payment once); a payment and everything it changes land together or not at all.
/// </summary>
public interface IPaymentStore
{
    Payment? Find(string communityId, string id);

    /// <summary>The flat's payments, latest first.</summary>
    IReadOnlyList<Payment> LatestFor(string communityId, string unitId, int take);

    /// <summary>
    /// In one transaction: numbers the payment's receipt (SK-{China date}-{n}, n from 1 per community and day, without
    /// gaps; see <see cref="Receipts"/>), adds each line to its bill, stores the payment, moves the community's running
    /// totals (<see cref="FeeTotalsBook.Changes"/>) and version, and keeps the flat's unpaid bills. A payment id
    /// already recorded, in any community, is not recorded again.
    /// </summary>
    /// <param name="buildingId">The flat's building, whose totals move with the community's.</param>
    PaymentRecording Record(Payment payment, string buildingId);
}
