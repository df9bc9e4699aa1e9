using Dapper;
using Linli.Accounts;
using Linli.Mediation;
using Linli.Projects;

namespace Linli.Storage.Postgres;

/// <summary>
/// A community's projects in PostgreSQL, each a document: numbered in the transaction that adds it, changed only from
/// the version read, each write with its audit entry.
/// </summary>
public sealed class PgProjectStore(PostgresDatabase db) : IProjectStore
{
    public Project Create(Project draft, AuditEntry audit) => db.InTransaction((c, t) =>
    {
        var count = PgCounters.NextInSeries(c, t, "projects", draft.CommunityId, Project.YearPrefix(draft.CreatedAt));
        var number = Project.NumberFor(draft.CreatedAt, count);
        var project = draft with { Id = Project.IdFor(draft.CommunityId, number), Number = number };
        c.Execute("""
            INSERT INTO projects (community_id, number, status, created_at, version, doc)
            VALUES (@CommunityId, @Number, @Status, @CreatedAt, @Version, @Doc::json)
            """, Row(project), t);
        PgAuditLog.Append(c, t, audit with { Target = number });
        return project;
    });

    public Project? Find(string communityId, string number) =>
        db.Run(c => c.QuerySingleOrDefault<string>(
            "SELECT doc FROM projects WHERE community_id = @communityId AND number = @number",
            new { communityId, number })) is { } doc ? PgDocuments.Read<Project>(doc) : null;

    public IReadOnlyList<Project> List(string communityId, bool openOnly = false) =>
        db.Run(c => c.Query<string>($"""
            SELECT doc FROM projects WHERE community_id = @communityId {(openOnly ? "AND status <> 'Closed'" : "")}
            ORDER BY created_at DESC, number DESC
            """, new { communityId }).Select(PgDocuments.Read<Project>).ToList());

    public bool TryUpdate(Project project, int expectedVersion, AuditEntry audit) =>
        // Its id names where it is kept: a project cannot move to another community.
        project.Id == Project.IdFor(project.CommunityId, project.Number) && db.InTransaction((c, t) =>
    {
        var args = new DynamicParameters(Row(project)).Also("expectedVersion", expectedVersion);
        if (c.Execute("""
                UPDATE projects SET status = @Status, created_at = @CreatedAt, version = @Version, doc = @Doc::json
                WHERE community_id = @CommunityId AND number = @Number AND version = @expectedVersion
                """, args, t) == 0)
            return false;
        PgAuditLog.Append(c, t, audit);
        return true;
    });

    /// <summary>The project's row as Dapper's parameters (its columns' names in PascalCase).</summary>
    internal static object Row(Project p) => new
    {
        p.CommunityId, p.Number, Status = p.Status.ToString(), p.CreatedAt, p.Version, Doc = PgDocuments.Write(p),
    };
}

/// <summary>
/// A community's mediation cases in PostgreSQL, each a document: numbered in the transaction that opens it (a
/// complaint ticket opens one case at most), changed only from the version read, each write with its audit entry.
/// </summary>
public sealed class PgMediationStore(PostgresDatabase db) : IMediationStore
{
    private const string Insert = """
        INSERT INTO mediation_cases (community_id, number, ticket_number, party_ids, opened_at, version, doc)
        VALUES (@CommunityId, @Number, @TicketNumber, @PartyIds, @OpenedAt, @Version, @Doc::json)
        ON CONFLICT DO NOTHING
        """;

    public MediationCase? Open(MediationCase draft, AuditEntry audit)
    {
        using var connection = db.Connect();
        using var transaction = connection.BeginTransaction();
        var prefix = PgCounters.PrefixOf(MediationCase.NumberFor(MediationCase.YearOf(draft.OpenedAt), 1));
        var count = PgCounters.NextInSeries(connection, transaction, "mediation_cases", draft.CommunityId, prefix);
        var number = MediationCase.NumberFor(MediationCase.YearOf(draft.OpenedAt), count);
        var opened = draft with { Id = MediationCase.IdFor(draft.CommunityId, number), Number = number };
        // The ticket's case exists already (its unique index): no case, and the number is given back.
        if (connection.Execute(Insert, Row(opened), transaction) == 0)
        {
            transaction.Rollback();
            return null;
        }
        PgAuditLog.Append(connection, transaction, audit with { Target = number });
        transaction.Commit();
        return opened;
    }

    public MediationCase? Find(string communityId, string number) =>
        Many("community_id = @communityId AND number = @number", new { communityId, number }).SingleOrDefault();

    public IReadOnlyList<MediationCase> List(string communityId) =>
        Many("community_id = @communityId ORDER BY opened_at DESC, number DESC", new { communityId });

    public IReadOnlyList<MediationCase> ForPerson(string communityId, string personId) => Many(
        "community_id = @communityId AND party_ids @> ARRAY[@personId] ORDER BY opened_at DESC, number DESC",
        new { communityId, personId });

    public bool TryUpdate(MediationCase changed, int expectedVersion, AuditEntry audit) =>
        // Its id names where it is kept: a case cannot move to another community.
        changed.Id == MediationCase.IdFor(changed.CommunityId, changed.Number) && db.InTransaction((c, t) =>
    {
        var args = new DynamicParameters(Row(changed)).Also("expectedVersion", expectedVersion);
        if (c.Execute("""
                UPDATE mediation_cases SET ticket_number = @TicketNumber, party_ids = @PartyIds,
                    opened_at = @OpenedAt, version = @Version, doc = @Doc::json
                WHERE community_id = @CommunityId AND number = @Number AND version = @expectedVersion
                """, args, t) == 0)
            return false;
        PgAuditLog.Append(c, t, audit);
        return true;
    });

    private List<MediationCase> Many(string where, object args) =>
        db.Run(c => c.Query<string>($"SELECT doc FROM mediation_cases WHERE {where}", args)
            .Select(PgDocuments.Read<MediationCase>).ToList());

    /// <summary>The case's row as Dapper's parameters (its columns' names in PascalCase).</summary>
    internal static object Row(MediationCase m) => new
    {
        m.CommunityId, m.Number, m.TicketNumber,
        PartyIds = m.Parties.Select(p => p.PersonId).OfType<string>().Distinct().ToArray(),
        m.OpenedAt, m.Version, Doc = PgDocuments.Write(m),
    };
}
