using System.Data;
using Dapper;
using Linli.Accounts;
using Linli.People;
using Npgsql;

namespace Linli.Storage.Postgres;

public sealed class PgAccountStore(PostgresDatabase db) : IAccountStore
{
    private const string Columns = "id, community_id, person_id, roles, password_hash, failed_attempts, " +
        "locked_until, disabled, must_change_password, stamp, password_changed_at";

    private const string Values = "@Id, @CommunityId, @PersonId, @Roles, @PasswordHash, @FailedAttempts, " +
        "@LockedUntil, @Disabled, @MustChangePassword, @Stamp, @PasswordChangedAt";

    public Account? Find(string userName) =>
        db.Run(c => c.QuerySingleOrDefault<Account>($"SELECT {Columns} FROM accounts WHERE id = @userName",
            new { userName }));

    public IReadOnlyList<Account> InCommunity(string communityId) =>
        db.Run(c => c.Query<Account>($"SELECT {Columns} FROM accounts WHERE community_id = @communityId ORDER BY id",
            new { communityId }).AsList());

    public IReadOnlyList<Account> OfPerson(string communityId, string personId) =>
        db.Run(c => c.Query<Account>($"""
            SELECT {Columns} FROM accounts WHERE community_id = @communityId AND person_id = @personId ORDER BY id
            """, new { communityId, personId }).AsList());

    public bool TryAdd(Account account, Person person)
    {
        try
        {
            return db.InTransaction((connection, transaction) =>
            {
                // Taken (now, or by a writer a moment before us): nothing of ours is written.
                var added = connection.Execute($"""
                    INSERT INTO accounts ({Columns}) VALUES ({Values}) ON CONFLICT (id) DO NOTHING
                    """, account, transaction);
                if (added == 0) return false;
                PgPeopleStore.Upsert(connection, person, transaction);
                return true;
            });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    public void Save(Account account) => db.Run(c => Upsert(c, account, null));

    public void Save(Account account, Person person) => db.InTransaction((connection, transaction) =>
    {
        Upsert(connection, account, transaction);
        PgPeopleStore.Upsert(connection, person, transaction);
        return true;
    });

    private static int Upsert(IDbConnection connection, Account account, IDbTransaction? transaction) =>
        connection.Execute($"""
            INSERT INTO accounts ({Columns}) VALUES ({Values})
            ON CONFLICT (id) DO UPDATE SET community_id = excluded.community_id, person_id = excluded.person_id,
                roles = excluded.roles, password_hash = excluded.password_hash,
                failed_attempts = excluded.failed_attempts, locked_until = excluded.locked_until,
                disabled = excluded.disabled, must_change_password = excluded.must_change_password,
                stamp = excluded.stamp, password_changed_at = excluded.password_changed_at
            """, account, transaction);
}
