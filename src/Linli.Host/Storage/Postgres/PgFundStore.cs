using System.Data;
using Dapper;
using Linli.MaintenanceFund;

namespace Linli.Storage.Postgres;

/// <summary>
/// A community's maintenance fund in PostgreSQL. Entries are numbered by the community's "fund" counter and
/// applications by its "fund-application|{year}" one; an entry or application that must follow a number the caller
/// read takes the next only while that is still the last (a conditional update), so a check and its write hold
/// together on any instance.
/// </summary>
public sealed class PgFundStore(PostgresDatabase db) : IFundStore
{
    private const string EntryCounter = "fund";

    private const string EntryColumns = "id, community_id, number, kind, amount, unit_id, buildings, date, note, "
        + "application, vote_thread, vote, recorded_by, recorded_at";

    private const string ApplicationColumns = "id, community_id, number, title, description, buildings, estimate, "
        + "quotes, matter, emergency, emergency_reason, thread, \"by\", at, confirmed_by, confirmed_at";

    public FundEntry Append(FundEntry draft) => db.InTransaction((c, t) =>
        Insert(c, t, draft, PgCounters.Next(c, t, draft.CommunityId, EntryCounter)));

    public FundEntry? TryAppend(FundEntry draft, int afterNumber) => db.InTransaction((c, t) =>
        PgCounters.NextAfter(c, t, draft.CommunityId, EntryCounter, afterNumber) is { } number
            ? Insert(c, t, draft, number)
            : null);

    public int LastNumber(string communityId) => db.Run(c => PgCounters.Last(c, communityId, EntryCounter));

    public IReadOnlyList<FundEntry> Entries(string communityId) =>
        db.Run(c => c.Query<FundEntry>(
            $"SELECT {EntryColumns} FROM fund_entries WHERE community_id = @communityId ORDER BY number",
            new { communityId }).AsList());

    public IReadOnlyList<FundEntry> Latest(string communityId, int take) =>
        db.Run(c => c.Query<FundEntry>($"""
            SELECT {EntryColumns} FROM fund_entries WHERE community_id = @communityId ORDER BY number DESC LIMIT @take
            """, new { communityId, take }).AsList());

    public decimal TotalFor(string communityId, string applicationNumber) =>
        db.Run(c => c.ExecuteScalar<decimal>("""
            SELECT coalesce(sum(amount), 0) FROM fund_entries
            WHERE community_id = @communityId AND application = @applicationNumber
            """, new { communityId, applicationNumber }));

    public int LastApplicationSequence(string communityId, int year) =>
        db.Run(c => PgCounters.Last(c, communityId, ApplicationCounter(year)));

    public bool TryAddApplication(FundApplication application, int year, int sequence)
    {
        using var c = db.Connect();
        using var t = c.BeginTransaction();
        if (PgCounters.NextAfter(c, t, application.CommunityId, ApplicationCounter(year), sequence - 1) is null)
            return false;
        var row = new
        {
            application.Id, application.CommunityId, application.Number, application.Title, application.Description,
            application.Buildings, application.Estimate, application.Quotes, Matter = application.Matter.ToString(),
            application.Emergency, application.EmergencyReason, application.Thread, application.By, application.At,
            application.ConfirmedBy, application.ConfirmedAt,
        };
        var added = c.Execute($"""
            INSERT INTO fund_applications ({ApplicationColumns})
            VALUES (@Id, @CommunityId, @Number, @Title, @Description, @Buildings, @Estimate, @Quotes, @Matter,
                @Emergency, @EmergencyReason, @Thread, @By, @At, @ConfirmedBy, @ConfirmedAt)
            ON CONFLICT (community_id, id) DO NOTHING
            """, row, t) == 1;
        // An application already under the id: not committed, so the number is given back.
        if (added) t.Commit();
        return added;
    }

    public FundApplication? FindApplication(string communityId, string number) =>
        db.Run(c => c.QuerySingleOrDefault<FundApplication>(
            $"SELECT {ApplicationColumns} FROM fund_applications WHERE community_id = @communityId AND id = @id",
            new { communityId, id = FundApplication.IdFor(communityId, number) }));

    public IReadOnlyList<FundApplication> Applications(string communityId) =>
        db.Run(c => c.Query<FundApplication>($"""
            SELECT {ApplicationColumns} FROM fund_applications WHERE community_id = @communityId ORDER BY at DESC, id
            """, new { communityId }).AsList());

    public FundApplication? TryConfirm(string communityId, string number, string by, DateTimeOffset at) =>
        // Confirmed once: written only where nobody has confirmed yet.
        db.Run(c => c.QuerySingleOrDefault<FundApplication>($"""
            UPDATE fund_applications SET confirmed_by = @by, confirmed_at = @at
            WHERE community_id = @communityId AND id = @id AND confirmed_at IS NULL
            RETURNING {ApplicationColumns}
            """, new { communityId, id = FundApplication.IdFor(communityId, number), by, at }));

    private static FundEntry Insert(IDbConnection c, IDbTransaction t, FundEntry draft, int number)
    {
        var entry = draft with { Id = FundEntry.IdFor(draft.CommunityId, number), Number = number };
        c.Execute($"""
            INSERT INTO fund_entries ({EntryColumns})
            VALUES (@Id, @CommunityId, @Number, @Kind, @Amount, @UnitId, @Buildings, @Date, @Note, @Application,
                @VoteThread, @Vote, @RecordedBy, @RecordedAt)
            """, new
        {
            entry.Id, entry.CommunityId, entry.Number, Kind = entry.Kind.ToString(), entry.Amount, entry.UnitId,
            entry.Buildings, entry.Date, entry.Note, entry.Application, entry.VoteThread, entry.Vote,
            entry.RecordedBy, entry.RecordedAt,
        }, t);
        return entry;
    }

    private static string ApplicationCounter(int year) => $"fund-application|{year}";
}
