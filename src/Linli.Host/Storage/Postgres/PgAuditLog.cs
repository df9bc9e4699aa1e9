using System.Data;
using Dapper;
using Linli.Accounts;

namespace Linli.Storage.Postgres;

public sealed class PgAuditLog(PostgresDatabase db) : IAuditLog
{
    public void Append(AuditEntry entry) => db.Run(c => Append(c, null, entry));

    /// <summary>Appends <paramref name="entry"/> in the transaction of the write it records.</summary>
    internal static int Append(IDbConnection connection, IDbTransaction? transaction, AuditEntry entry) =>
        // A retried append (the same id) lands once, even when two arrive together.
        connection.Execute("""
            INSERT INTO audit_entries (community_id, id, at, person_id, name, action, target, detail)
            VALUES (@CommunityId, @Id, @At, @PersonId, @Name, @Action, @Target, @Detail)
            ON CONFLICT (community_id, id) DO NOTHING
            """, entry, transaction);

    public IReadOnlyList<AuditEntry> Latest(string communityId, int skip, int take) =>
        db.Run(c => c.Query<AuditEntry>("""
            SELECT id, at, community_id, person_id, name, action, target, detail FROM audit_entries
            WHERE community_id = @communityId
            ORDER BY at DESC, id DESC OFFSET @skip LIMIT @take
            """, new { communityId, skip, take }).AsList());
}
