using Dapper;
using Linli.Accounts;

namespace Linli.Storage.Postgres;

public sealed class PgAuditLog(PostgresDatabase db) : IAuditLog
{
    public void Append(AuditEntry entry) =>
        // A retried append (the same id) lands once, even when two arrive together.
        db.Run(c => c.Execute("""
            INSERT INTO audit_entries (community_id, id, at, person_id, name, action, target, detail)
            VALUES (@CommunityId, @Id, @At, @PersonId, @Name, @Action, @Target, @Detail)
            ON CONFLICT (community_id, id) DO NOTHING
            """, entry));

    public IReadOnlyList<AuditEntry> Latest(string communityId, int skip, int take) =>
        db.Run(c => c.Query<AuditEntry>("""
            SELECT id, at, community_id, person_id, name, action, target, detail FROM audit_entries
            WHERE community_id = @communityId
            ORDER BY at DESC, id DESC OFFSET @skip LIMIT @take
            """, new { communityId, skip, take }).AsList());
}
