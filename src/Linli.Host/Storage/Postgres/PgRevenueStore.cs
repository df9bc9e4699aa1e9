using Dapper;
using Linli.Calendar;
using Linli.PublicRevenue;

namespace Linli.Storage.Postgres;

/// <summary>
/// A community's public revenue ledger in PostgreSQL. Lines are numbered by the community's "revenue" counter; adding
/// a line and closing a month both hold that counter's lock while they check, so a line never lands in a month closed
/// meanwhile and a close never counts figures a line made stale, whichever instance writes.
/// </summary>
public sealed class PgRevenueStore(PostgresDatabase db) : IRevenueStore
{
    private const string Counter = "revenue";

    private const string LineColumns = "id, community_id, number, kind, source, purpose, counterparty, period, amount, "
        + "note, proofs, reverses, recorded_at, recorded_by";

    private const string CloseColumns =
        "id, community_id, period, opening, income, spending, closing, closed_at, closed_by";

    private const string SignOffColumns = "id, community_id, period, person_id, name, note, at";

    private const string ObjectionColumns =
        "id, community_id, period, line_number, person_id, name, text, at, answer, answered_by, answered_at";

    private const string AuditorColumns = "id, community_id, person_id, name, appointed_by, at";

    public LedgerLine? TryAppend(LedgerLine draft) => db.InTransaction<LedgerLine?>((c, t) =>
    {
        PgCounters.Lock(c, t, draft.CommunityId, Counter);
        if (c.ExecuteScalar<bool>(
                "SELECT EXISTS (SELECT 1 FROM revenue_closes WHERE community_id = @CommunityId AND period = @Period)",
                new { draft.CommunityId, draft.Period }, t))
            return null;
        var number = PgCounters.Next(c, t, draft.CommunityId, Counter);
        var line = draft with { Id = LedgerLine.IdFor(draft.CommunityId, number), Number = number };
        c.Execute($"""
            INSERT INTO revenue_lines ({LineColumns})
            VALUES (@Id, @CommunityId, @Number, @Kind, @Source, @Purpose, @Counterparty, @Period, @Amount, @Note,
                @Proofs, @Reverses, @RecordedAt, @RecordedBy)
            """, new
        {
            line.Id, line.CommunityId, line.Number, Kind = line.Kind.ToString(), Source = line.Source?.ToString(),
            Purpose = line.Purpose?.ToString(), line.Counterparty, line.Period, line.Amount, line.Note, line.Proofs,
            line.Reverses, line.RecordedAt, line.RecordedBy,
        }, t);
        return line;
    });

    public int LastNumber(string communityId) => db.Run(c => PgCounters.Last(c, communityId, Counter));

    public LedgerLine? FindLine(string communityId, int number) =>
        db.Run(c => c.QuerySingleOrDefault<LedgerLine>(
            $"SELECT {LineColumns} FROM revenue_lines WHERE community_id = @communityId AND number = @number",
            new { communityId, number }));

    public IReadOnlyList<LedgerLine> Lines(string communityId, Period from, Period to) =>
        db.Run(c => c.Query<LedgerLine>($"""
            SELECT {LineColumns} FROM revenue_lines
            WHERE community_id = @communityId AND period BETWEEN @from AND @to ORDER BY number
            """, new { communityId, from, to }).AsList());

    public decimal BalanceBefore(string communityId, Period period) =>
        db.Run(c => c.ExecuteScalar<decimal>("""
            SELECT coalesce(sum(CASE kind WHEN 'Income' THEN amount ELSE -amount END), 0) FROM revenue_lines
            WHERE community_id = @communityId AND period < @period
            """, new { communityId, period }));

    public Period? FirstOpenMonthBefore(string communityId, Period period) =>
        db.Run(c => c.ExecuteScalar<DateOnly?>("""
            SELECT min(l.period) FROM revenue_lines l
            WHERE l.community_id = @communityId AND l.period < @period
              AND NOT EXISTS (SELECT 1 FROM revenue_closes m
                  WHERE m.community_id = l.community_id AND m.period = l.period)
            """, new { communityId, period })) is { } first
            ? Period.Of(first)
            : null;

    public bool TryClose(MonthClose close, int throughNumber) => db.InTransaction((c, t) =>
        PgCounters.Lock(c, t, close.CommunityId, Counter) == throughNumber
        && c.Execute($"""
            INSERT INTO revenue_closes ({CloseColumns})
            VALUES (@Id, @CommunityId, @Period, @Opening, @Income, @Spending, @Closing, @ClosedAt, @ClosedBy)
            ON CONFLICT (community_id, period) DO NOTHING
            """, close, t) == 1);

    public MonthClose? FindClose(string communityId, Period period) =>
        db.Run(c => c.QuerySingleOrDefault<MonthClose>(
            $"SELECT {CloseColumns} FROM revenue_closes WHERE community_id = @communityId AND period = @period",
            new { communityId, period }));

    public MonthClose? LatestClose(string communityId) =>
        db.Run(c => c.QueryFirstOrDefault<MonthClose>($"""
            SELECT {CloseColumns} FROM revenue_closes WHERE community_id = @communityId ORDER BY period DESC LIMIT 1
            """, new { communityId }));

    public bool TryAddSignOff(SignOff signOff) =>
        db.Run(c => c.Execute($"""
            INSERT INTO revenue_sign_offs ({SignOffColumns})
            VALUES (@Id, @CommunityId, @Period, @PersonId, @Name, @Note, @At)
            ON CONFLICT (community_id, id) DO NOTHING
            """, signOff) == 1);

    public IReadOnlyList<SignOff> SignOffs(string communityId, Period period) =>
        db.Run(c => c.Query<SignOff>($"""
            SELECT {SignOffColumns} FROM revenue_sign_offs
            WHERE community_id = @communityId AND period = @period ORDER BY at, id
            """, new { communityId, period }).AsList());

    public Objection AddObjection(Objection draft) =>
        draft with
        {
            // The id from the table's sequence, as LiteDB's came from its collection.
            Id = db.Run(c => c.ExecuteScalar<int>("""
                INSERT INTO revenue_objections (community_id, period, line_number, person_id, name, text, at, answer,
                    answered_by, answered_at)
                VALUES (@CommunityId, @Period, @LineNumber, @PersonId, @Name, @Text, @At, @Answer, @AnsweredBy,
                    @AnsweredAt)
                RETURNING id
                """, draft)),
        };

    public Objection? FindObjection(string communityId, int id) =>
        db.Run(c => c.QuerySingleOrDefault<Objection>(
            $"SELECT {ObjectionColumns} FROM revenue_objections WHERE community_id = @communityId AND id = @id",
            new { communityId, id }));

    public IReadOnlyList<Objection> Objections(string communityId, Period period) =>
        db.Run(c => c.Query<Objection>($"""
            SELECT {ObjectionColumns} FROM revenue_objections
            WHERE community_id = @communityId AND period = @period ORDER BY id
            """, new { communityId, period }).AsList());

    public bool TryAnswer(Objection answered) =>
        // Answered once: the answer is written only where there is none yet.
        db.Run(c => c.Execute("""
            UPDATE revenue_objections SET answer = @Answer, answered_by = @AnsweredBy, answered_at = @AnsweredAt
            WHERE community_id = @CommunityId AND id = @Id AND answer IS NULL
            """, answered) == 1);

    public void SaveAuditor(Auditor auditor) =>
        db.Run(c => c.Execute($"""
            INSERT INTO revenue_auditors ({AuditorColumns})
            VALUES (@Id, @CommunityId, @PersonId, @Name, @AppointedBy, @At)
            ON CONFLICT (community_id, id) DO UPDATE SET person_id = excluded.person_id, name = excluded.name,
                appointed_by = excluded.appointed_by, at = excluded.at
            """, auditor));

    public bool IsAuditor(string communityId, string personId) =>
        db.Run(c => c.ExecuteScalar<bool>("""
            SELECT EXISTS (SELECT 1 FROM revenue_auditors WHERE community_id = @communityId AND id = @id)
            """, new { communityId, id = Auditor.KeyFor(communityId, personId) }));

    public IReadOnlyList<Auditor> Auditors(string communityId) =>
        db.Run(c => c.Query<Auditor>(
            $"SELECT {AuditorColumns} FROM revenue_auditors WHERE community_id = @communityId ORDER BY at, id",
            new { communityId }).AsList());
}
