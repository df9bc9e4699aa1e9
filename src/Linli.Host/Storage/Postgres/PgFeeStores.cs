using System.Data;
using System.Text.Json;
using Dapper;
using Linli.Calendar;
using Linli.Fees;
using Npgsql;
using NpgsqlTypes;

namespace Linli.Storage.Postgres;

/// <summary>
/// Bills and their running totals in PostgreSQL. A flat's unpaid bills are a partial index of the bills, not a copy;
/// the totals' version is the community's "fee-totals" counter.
/// </summary>
public sealed class PgFeeStore(PostgresDatabase db) : IFeeStore
{
    internal const string BillColumns =
        "id, community_id, building_id, unit_id, period, kind, amount_due, amount_paid, due_date";

    internal const string VersionCounter = "fee-totals";

    private const string TotalsColumns =
        "id, community_id, building_id, period, due, paid, units, units_settled, recovered, prepaid";

    // Kinds are text; their order is the enum's, so a flat's few bills are ordered here, not by the database.
    public IReadOnlyList<Bill> BillsFor(string communityId, string unitId) =>
        [.. Bills("community_id = @communityId AND unit_id = @unitId", new { communityId, unitId })
            .OrderBy(b => b.Period).ThenBy(b => b.Kind)];

    public IReadOnlyList<Bill> BillsFor(string communityId, string unitId, Period period) =>
        [.. Bills("community_id = @communityId AND unit_id = @unitId AND period = @period",
            new { communityId, unitId, period }).OrderBy(b => b.Kind)];

    public IReadOnlyList<Bill> BillsOfMonth(string communityId, Period period) =>
        Bills("community_id = @communityId AND period = @period", new { communityId, period });

    public IReadOnlyList<Bill> UnpaidBillsFor(string communityId, string unitId) =>
        // The predicate of the partial index bills_unpaid.
        [.. Bills("community_id = @communityId AND unit_id = @unitId AND amount_paid < amount_due",
            new { communityId, unitId }).OrderBy(b => b.Period).ThenBy(b => b.Kind)];

    public int TotalsVersion(string communityId) => db.Run(c => PgCounters.Last(c, communityId, VersionCounter));

    public IReadOnlyList<FeeTotals> Totals(string communityId) =>
        db.Run(c => c.Query<FeeTotals>($"SELECT {TotalsColumns} FROM fee_totals WHERE community_id = @communityId",
            new { communityId }).AsList());

    /// <summary>
    /// What a billing run or the demo's seed leaves, in one transaction: the bills and payments (copied in bulk: a
    /// city's millions in one stream each), then the running totals of each community they name, built anew with a
    /// new version. A bill or payment already kept stays as it is, so a run retried pays and bills nothing twice.
    /// </summary>
    /// <returns>How many bills were added.</returns>
    public int Load(IReadOnlyCollection<Bill> bills, IReadOnlyCollection<Payment> payments) =>
        db.InTransaction((c, t) => Load(c, t, bills, payments));

    /// <summary>As <see cref="Load(IReadOnlyCollection{Bill}, IReadOnlyCollection{Payment})"/>, in the caller's
    /// transaction (a whole estate copied from LiteDB).</summary>
    internal static int Load(NpgsqlConnection c, IDbTransaction t, IReadOnlyCollection<Bill> bills,
        IReadOnlyCollection<Payment> payments)
    {
        var added = CopyBills(c, t, bills);
        CopyPayments(c, t, payments);
        var communities = bills.Select(b => b.CommunityId).Concat(payments.Select(p => p.CommunityId));
        foreach (var community in communities.Distinct().Order(StringComparer.Ordinal))
            BuildTotals(c, t, community);
        return added;
    }

    /// <summary>
    /// A community's running totals computed anew from its bills and payments (as a file from before they were
    /// kept needs), with a new version.
    /// </summary>
    /// <returns>How many totals it wrote.</returns>
    public int BuildTotals(string communityId) => db.InTransaction((c, t) => BuildTotals(c, t, communityId));

    private List<Bill> Bills(string where, object parameters) =>
        db.Run(c => c.Query<Bill>($"SELECT {BillColumns} FROM bills WHERE {where}", parameters).AsList());

    private static int CopyBills(NpgsqlConnection c, IDbTransaction t, IReadOnlyCollection<Bill> bills)
    {
        c.Execute("CREATE TEMP TABLE bills_in (LIKE bills) ON COMMIT DROP", transaction: t);
        using (var copy = c.BeginBinaryImport($"COPY bills_in ({BillColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var bill in bills)
            {
                copy.StartRow();
                copy.Write(bill.Id, NpgsqlDbType.Text);
                copy.Write(bill.CommunityId, NpgsqlDbType.Text);
                copy.Write(bill.BuildingId, NpgsqlDbType.Text);
                copy.Write(bill.UnitId, NpgsqlDbType.Text);
                copy.Write(bill.Period.FirstDay, NpgsqlDbType.Date);
                copy.Write(bill.Kind.ToString(), NpgsqlDbType.Text);
                copy.Write(bill.AmountDue, NpgsqlDbType.Numeric);
                copy.Write(bill.AmountPaid, NpgsqlDbType.Numeric);
                copy.Write(bill.DueDate, NpgsqlDbType.Date);
            }
            copy.Complete();
        }
        return c.Execute($"""
            INSERT INTO bills ({BillColumns}) SELECT {BillColumns} FROM bills_in
            ON CONFLICT (community_id, id) DO NOTHING
            """, transaction: t);
    }

    private static void CopyPayments(NpgsqlConnection c, IDbTransaction t, IReadOnlyCollection<Payment> payments)
    {
        c.Execute("CREATE TEMP TABLE payments_in (LIKE payments) ON COMMIT DROP", transaction: t);
        using (var copy = c.BeginBinaryImport(
            $"COPY payments_in ({PgPaymentStore.Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var payment in payments)
            {
                copy.StartRow();
                copy.Write(payment.Id, NpgsqlDbType.Text);
                copy.Write(payment.CommunityId, NpgsqlDbType.Text);
                copy.Write(payment.UnitId, NpgsqlDbType.Text);
                copy.Write(payment.PaidAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                copy.Write(payment.Method.ToString(), NpgsqlDbType.Text);
                copy.Write(JsonSerializer.Serialize(payment.Lines, PostgresTypes.Json), NpgsqlDbType.Jsonb);
                copy.Write(payment.ReceiptNumber, NpgsqlDbType.Text);
                copy.Write(payment.Prepaid, NpgsqlDbType.Numeric);
                copy.Write(payment.Source, NpgsqlDbType.Text);
            }
            copy.Complete();
        }
        // An id is claimed once in any community; the payments whose claim is new are the ones added.
        c.Execute($"""
            WITH claimed AS (
                INSERT INTO payment_ids (id, community_id) SELECT DISTINCT ON (id) id, community_id FROM payments_in
                ON CONFLICT (id) DO NOTHING RETURNING id, community_id
            )
            INSERT INTO payments ({PgPaymentStore.Columns})
            SELECT DISTINCT ON (p.id) {string.Join(", ", PgPaymentStore.Columns.Split(", ").Select(n => "p." + n))}
            FROM payments_in p JOIN claimed USING (id, community_id)
            """, transaction: t);
    }

    /// <summary>
    /// Replaces the community's totals with ones built from its bills and payments, as
    /// <see cref="FeeTotalsBook.Build"/> adds them up: each flat's month counted once, with its building's; what
    /// each payment recovered for earlier months and paid ahead counted in the month (China time) it was received.
    /// </summary>
    private static int BuildTotals(IDbConnection c, IDbTransaction t, string communityId)
    {
        // The version first: payments move it before the totals, so they and a build take turns.
        PgCounters.Next(c, t, communityId, VersionCounter);
        c.Execute("DELETE FROM fee_totals WHERE community_id = @communityId", new { communityId }, t);
        return c.Execute($"""
            WITH months AS (
                SELECT period, min(building_id) AS building_id, sum(amount_due) AS due, sum(amount_paid) AS paid,
                    bool_and(amount_paid >= amount_due) AS settled
                FROM bills WHERE community_id = @communityId GROUP BY unit_id, period
            ),
            received AS (
                SELECT date_trunc('month', p.paid_at AT TIME ZONE INTERVAL '+08:00')::date AS period,
                    coalesce(u.building_id, b.building_id) AS building_id, p.prepaid,
                    (SELECT coalesce(sum((l ->> 'Amount')::numeric), 0) FROM jsonb_array_elements(p.lines) l
                     -- The bill's month from its id, before the month received ("2026-09" < "2026-11").
                     WHERE split_part(l ->> 'BillId', '/', 2) COLLATE "C"
                        < to_char(p.paid_at AT TIME ZONE INTERVAL '+08:00', 'YYYY-MM')) AS recovered
                FROM payments p
                LEFT JOIN units u ON u.community_id = p.community_id AND u.id = p.unit_id
                LEFT JOIN LATERAL (
                    SELECT building_id FROM bills
                    WHERE community_id = p.community_id AND unit_id = p.unit_id LIMIT 1
                ) b ON true
                WHERE p.community_id = @communityId
            ),
            changes AS (
                SELECT period, building_id, due, paid, 1 AS units, CASE WHEN settled THEN 1 ELSE 0 END AS settled,
                    0 AS recovered, 0 AS prepaid
                FROM months
                UNION ALL
                SELECT period, building_id, 0, 0, 0, 0, recovered, prepaid FROM received
                WHERE recovered > 0 OR prepaid > 0
            )
            INSERT INTO fee_totals ({TotalsColumns})
            SELECT @communityId || '/' || to_char(period, 'YYYY-MM')
                    || CASE WHEN GROUPING(building_id) = 0 THEN '/' || building_id ELSE '' END,
                @communityId, CASE WHEN GROUPING(building_id) = 0 THEN building_id END, period,
                sum(due), sum(paid), sum(units), sum(settled), sum(recovered), sum(prepaid)
            FROM changes
            GROUP BY GROUPING SETS ((period), (period, building_id))
            -- A payment of a flat no unit or bill places in a building counts for the community only.
            HAVING GROUPING(building_id) = 1 OR building_id IS NOT NULL
            """, new { communityId }, t);
    }
}

/// <summary>
/// Payments in PostgreSQL. Recording one is one transaction that locks the flat's bills of the months it pays (so two
/// payments to a flat take turns, and a line asking more than its bill owes is seen), claims the payment's id, moves
/// the community's totals version (so payments and a rebuild of the totals take turns), numbers the receipt, pays the
/// bills, stores the payment and adds its changes to the totals.
/// </summary>
public sealed class PgPaymentStore(PostgresDatabase db) : IPaymentStore
{
    internal const string Columns =
        "id, community_id, unit_id, paid_at, method, lines, receipt_number, prepaid, source";

    public Payment? Find(string communityId, string id) =>
        db.Run(c => Find(c, null, communityId, id));

    public IReadOnlyList<Payment> LatestFor(string communityId, string unitId, int take) =>
        db.Run(c => c.Query<Payment>($"""
            SELECT {Columns} FROM payments WHERE community_id = @communityId AND unit_id = @unitId
            ORDER BY paid_at DESC, id DESC LIMIT @take
            """, new { communityId, unitId, take }).AsList());

    public PaymentRecording Record(Payment payment, string buildingId) => db.InTransaction((c, t) =>
    {
        if (Recorded(c, t, payment) is { } recorded) return recorded;

        var billIds = payment.Lines.Select(l => l.BillId).ToArray();
        // Every bill of the flat in the months paid, locked (in one order, so payments never wait on each other in
        // a circle): the bills paid, and the others of their months, which say whether a month is now settled.
        var months = c.Query<Bill>($"""
            SELECT {PgFeeStore.BillColumns} FROM bills
            WHERE community_id = @CommunityId AND unit_id = @UnitId AND period IN (
                SELECT period FROM bills
                WHERE community_id = @CommunityId AND unit_id = @UnitId AND id = ANY(@billIds))
            ORDER BY id FOR UPDATE
            """, new { payment.CommunityId, payment.UnitId, billIds }, t).AsList();
        // The same payment retried while the first held these locks has landed by now: it is that one.
        if (months.Count > 0 && Recorded(c, t, payment) is { } landed) return landed;
        var before = payment.Lines.Select(line => BillOf(payment, line, months)).ToList();
        if (payment.Lines.Zip(before).Any(paid => paid.First.Amount > paid.Second.Outstanding))
            return new PaymentRecording(RecordOutcome.BillsChanged, null);

        // Claimed by whoever inserts first; a writer that waited here sees the other's payment once it committed.
        if (c.Execute("""
                INSERT INTO payment_ids (id, community_id) VALUES (@Id, @CommunityId) ON CONFLICT (id) DO NOTHING
                """, payment, t) == 0)
            return Recorded(c, t, payment)!;

        PgCounters.Next(c, t, payment.CommunityId, PgFeeStore.VersionCounter);
        var day = Receipts.Day(payment.PaidAt);
        var receipted = payment with
        {
            ReceiptNumber = Receipts.Number(day, PgCounters.Next(c, t, payment.CommunityId, $"receipt|{day}")),
        };
        c.Execute("""
            UPDATE bills SET amount_paid = amount_paid + paid.amount
            FROM unnest(@billIds, @amounts) AS paid (id, amount)
            WHERE bills.community_id = @CommunityId AND bills.id = paid.id
            """, new { payment.CommunityId, billIds, amounts = payment.Lines.Select(l => l.Amount).ToArray() }, t);
        c.Execute($"""
            INSERT INTO payments ({Columns})
            VALUES (@Id, @CommunityId, @UnitId, @PaidAt, @Method, @Lines, @ReceiptNumber, @Prepaid, @Source)
            """, new
        {
            receipted.Id, receipted.CommunityId, receipted.UnitId, receipted.PaidAt,
            Method = receipted.Method.ToString(), receipted.Lines, receipted.ReceiptNumber, receipted.Prepaid,
            receipted.Source,
        }, t);

        var paidNow = payment.Lines.ToDictionary(l => l.BillId, l => l.Amount);
        var now = months.Select(b => b with { AmountPaid = b.AmountPaid + paidNow.GetValueOrDefault(b.Id) }).ToList();
        AddToTotals(c, t, FeeTotalsBook.Changes(receipted, buildingId, before, now));
        return new PaymentRecording(RecordOutcome.Recorded, receipted);
    });

    /// <summary>The payment kept under the id, if any: shown when it is the same community's.</summary>
    private static PaymentRecording? Recorded(IDbConnection c, IDbTransaction t, Payment payment) =>
        c.QuerySingleOrDefault<string>("SELECT community_id FROM payment_ids WHERE id = @Id", payment, t)
            is { } community
            ? new PaymentRecording(RecordOutcome.AlreadyRecorded,
                community == payment.CommunityId ? Find(c, t, community, payment.Id) : null)
            : null;

    private static Payment? Find(IDbConnection c, IDbTransaction? t, string communityId, string id) =>
        c.QuerySingleOrDefault<Payment>(
            $"SELECT {Columns} FROM payments WHERE community_id = @communityId AND id = @id",
            new { communityId, id }, t);

    private static Bill BillOf(Payment payment, PaymentLine line, List<Bill> bills) =>
        bills.SingleOrDefault(b => b.Id == line.BillId) is { } bill
            && payment.Lines.Count(l => l.BillId == bill.Id) == 1
            ? bill
            : throw new ArgumentException($"{line.BillId} is not one bill of flat {payment.UnitId}.", nameof(payment));

    /// <summary>
    /// Adds each change to the totals of its id (made at zero when new): additions, so concurrent payments never
    /// overwrite each other's; in the order of their ids, so they never wait on each other in a circle.
    /// </summary>
    private static void AddToTotals(IDbConnection c, IDbTransaction t, IReadOnlyList<FeeTotals> changes)
    {
        var sorted = changes.OrderBy(x => x.Id, StringComparer.Ordinal).ToList();
        c.Execute("""
            INSERT INTO fee_totals (id, community_id, building_id, period, due, paid, units, units_settled, recovered,
                prepaid)
            SELECT * FROM unnest(@ids, @communities, @buildings, @periods, @dues, @paid, @units, @settled,
                @recovered, @prepaid)
            ON CONFLICT (community_id, id) DO UPDATE SET due = fee_totals.due + excluded.due,
                paid = fee_totals.paid + excluded.paid, units = fee_totals.units + excluded.units,
                units_settled = fee_totals.units_settled + excluded.units_settled,
                recovered = fee_totals.recovered + excluded.recovered, prepaid = fee_totals.prepaid + excluded.prepaid
            """, new
        {
            ids = sorted.Select(x => x.Id).ToArray(),
            communities = sorted.Select(x => x.CommunityId).ToArray(),
            buildings = sorted.Select(x => x.BuildingId).ToArray(),
            periods = sorted.Select(x => x.Period.FirstDay).ToArray(),
            dues = sorted.Select(x => x.Due).ToArray(),
            paid = sorted.Select(x => x.Paid).ToArray(),
            units = sorted.Select(x => x.Units).ToArray(),
            settled = sorted.Select(x => x.UnitsSettled).ToArray(),
            recovered = sorted.Select(x => x.Recovered).ToArray(),
            prepaid = sorted.Select(x => x.Prepaid).ToArray(),
        }, t);
    }
}
