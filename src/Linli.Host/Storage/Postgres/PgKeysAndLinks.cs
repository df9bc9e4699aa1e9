using Dapper;
using Linli.Accounts;
using Linli.StaffConsole;

namespace Linli.Storage.Postgres;

/// <summary>Signing keys in their table: the first instance to ask makes one, every instance reads the same.</summary>
public sealed class PgSigningKeys(PostgresDatabase db) : ISigningKeys
{
    public byte[] Load(string name) =>
        db.Run(c =>
        {
            // Two instances making the key at once: one insert lands, both read it.
            c.Execute("INSERT INTO signing_keys (name, key) VALUES (@name, @key) ON CONFLICT (name) DO NOTHING",
                new { name, key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) });
            return c.QuerySingle<byte[]>("SELECT key FROM signing_keys WHERE name = @name", new { name });
        });
}

public sealed class PgResidentLinkStore(PostgresDatabase db) : IResidentLinkStore
{
    private byte[]? _key;

    public byte[] SigningKey() => _key ??= new PgSigningKeys(db).Load("residentlinks.signingKey");

    public bool TryUse(string nonce, DateTimeOffset expiresAt, DateTimeOffset now) =>
        db.InTransaction((c, t) =>
        {
            // The insert is the check: of two followers of one link, the second finds the nonce taken.
            var used = c.Execute("""
                INSERT INTO used_links (nonce, expires_at) VALUES (@nonce, @expiresAt) ON CONFLICT (nonce) DO NOTHING
                """, new { nonce, expiresAt }, t) == 1;
            if (used)
                c.Execute("DELETE FROM used_links WHERE expires_at < @now AND nonce <> @nonce", new { now, nonce }, t);
            return used;
        });

    public bool IsUsed(string nonce) =>
        db.Run(c => c.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM used_links WHERE nonce = @nonce)",
            new { nonce }));
}

public sealed class PgCannedReplyStore(PostgresDatabase db) : ICannedReplyStore
{
    public CannedReplies? Find(string communityId) =>
        db.Run(c => c.QuerySingleOrDefault<CannedReplies>("""
            SELECT community_id AS id, items, updated_at, updated_by FROM canned_replies
            WHERE community_id = @communityId
            """, new { communityId }));

    public void Save(CannedReplies replies) =>
        db.Run(c => c.Execute("""
            INSERT INTO canned_replies (community_id, items, updated_at, updated_by)
            VALUES (@Id, @Items, @UpdatedAt, @UpdatedBy)
            ON CONFLICT (community_id) DO UPDATE SET items = excluded.items, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by
            """, replies));
}
