using Linli.Calendar;

namespace Linli.Fees;

/// <summary>
/// Where bills and their running totals are kept. Every read names its community; nothing here scans a community's
/// bills but <see cref="BillsOfMonth"/>, which the running totals must always equal. Payments change bills, totals and
/// arrears together, through <see cref="IPaymentStore.Record"/>.
/// </summary>
public interface IFeeStore
{
    /// <summary>The flat's bills, by month, then kind.</summary>
    IReadOnlyList<Bill> BillsFor(string communityId, string unitId);

    /// <summary>The flat's bills of one month, by kind.</summary>
    IReadOnlyList<Bill> BillsFor(string communityId, string unitId, Period period);

    /// <summary>Every bill of the community's month: what its running totals are checked against.</summary>
    IReadOnlyList<Bill> BillsOfMonth(string communityId, Period period);

    /// <summary>
    /// The flat's unpaid bills, oldest first, as kept whenever a payment lands: one read, however long the flat's
    /// history (empty for a flat that owes nothing).
    /// </summary>
    IReadOnlyList<Bill> UnpaidBillsFor(string communityId, string unitId);

    /// <summary>
    /// Goes up (in the same transaction) each time the community's running totals change, so a reader that kept them
    /// knows from one small read whether they are current. 0 before any totals were written.
    /// </summary>
    int TotalsVersion(string communityId);

    /// <summary>Every month's running totals of the community, and of each of its buildings.</summary>
    IReadOnlyList<FeeTotals> Totals(string communityId);
}
