using Dapper;
using Linli.Residents;

namespace Linli.Storage.Postgres;

public sealed class PgResidentBindingStore(PostgresDatabase db) : IResidentBindingStore
{
    private const string Columns = "id, community_id, unit_id, person_id, bound_at, last_arrears_reminder_at";

    public void Save(ResidentBinding binding) =>
        db.Run(c => c.Execute($"""
            INSERT INTO resident_bindings ({Columns})
            VALUES (@Id, @CommunityId, @UnitId, @PersonId, @BoundAt, @LastArrearsReminderAt)
            ON CONFLICT (id) DO UPDATE SET community_id = excluded.community_id, unit_id = excluded.unit_id,
                person_id = excluded.person_id, bound_at = excluded.bound_at,
                last_arrears_reminder_at = excluded.last_arrears_reminder_at
            """, binding));

    public ResidentBinding? Find(string channelId, string userId) =>
        db.Run(c => c.QuerySingleOrDefault<ResidentBinding>($"SELECT {Columns} FROM resident_bindings WHERE id = @id",
            new { id = ResidentBinding.IdFor(channelId, userId) }));

    public IReadOnlyList<ResidentBinding> InCommunity(string communityId) =>
        db.Run(c => c.Query<ResidentBinding>(
            $"SELECT {Columns} FROM resident_bindings WHERE community_id = @communityId ORDER BY id",
            new { communityId }).AsList());

    public IReadOnlyList<ResidentBinding> OfPerson(string communityId, string personId) =>
        db.Run(c => c.Query<ResidentBinding>($"""
            SELECT {Columns} FROM resident_bindings
            WHERE community_id = @communityId AND person_id = @personId ORDER BY id
            """, new { communityId, personId }).AsList());
}

public sealed class PgBindingCodeStore(PostgresDatabase db) : IBindingCodeStore
{
    private const string CodeColumns = "id, community_id, unit_id, person_id, code_hash, expires_at, attempts";

    public BindingCode? FindCode(string channelId, string userId) =>
        db.Run(c => c.QuerySingleOrDefault<BindingCode>($"SELECT {CodeColumns} FROM binding_codes WHERE id = @id",
            new { id = ResidentBinding.IdFor(channelId, userId) }));

    public void SaveCode(BindingCode code) =>
        db.Run(c => c.Execute($"""
            INSERT INTO binding_codes ({CodeColumns})
            VALUES (@Id, @CommunityId, @UnitId, @PersonId, @CodeHash, @ExpiresAt, @Attempts)
            ON CONFLICT (id) DO UPDATE SET community_id = excluded.community_id, unit_id = excluded.unit_id,
                person_id = excluded.person_id, code_hash = excluded.code_hash, expires_at = excluded.expires_at,
                attempts = excluded.attempts
            """, code));

    public void DeleteCode(string channelId, string userId) =>
        db.Run(c => c.Execute("DELETE FROM binding_codes WHERE id = @id",
            new { id = ResidentBinding.IdFor(channelId, userId) }));

    public void AddRequest(CodeRequest request) =>
        db.Run(c => c.Execute("""
            INSERT INTO code_requests (id, unit_id, phone_hash, requester, at)
            VALUES (@Id, @UnitId, @PhoneHash, @Requester, @At)
            ON CONFLICT (id) DO UPDATE SET unit_id = excluded.unit_id, phone_hash = excluded.phone_hash,
                requester = excluded.requester, at = excluded.at
            """, request));

    public IReadOnlyList<CodeRequest> RequestsSince(DateTimeOffset since, string unitId, string phoneHash,
        string requester) =>
        db.Run(c => c.Query<CodeRequest>("""
            SELECT id, unit_id, phone_hash, requester, at FROM code_requests
            WHERE at > @since AND (unit_id = @unitId OR phone_hash = @phoneHash OR requester = @requester)
            ORDER BY at DESC
            """, new { since, unitId, phoneHash, requester }).AsList());

    public void ForgetRequestsBefore(DateTimeOffset cutoff) =>
        db.Run(c => c.Execute("DELETE FROM code_requests WHERE at < @cutoff", new { cutoff }));
}
