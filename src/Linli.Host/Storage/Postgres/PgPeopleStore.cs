using System.Data;
using Dapper;
using Linli.People;

namespace Linli.Storage.Postgres;

public sealed class PgPeopleStore(PostgresDatabase db) : IPeopleStore
{
    internal const string Columns =
        "id, community_id, name, phone, roles, units, is_organization, title, locale, we_com_user_id";

    public void Save(Person person) => db.Run(c => Upsert(c, person, null));

    /// <summary>Adds or replaces the person inside the caller's transaction.</summary>
    internal static int Upsert(IDbConnection connection, Person person, IDbTransaction? transaction) =>
        connection.Execute($"""
            INSERT INTO people ({Columns})
            VALUES (@Id, @CommunityId, @Name, @Phone, @Roles, @Units, @IsOrganization, @Title, @Locale, @WeComUserId)
            ON CONFLICT (community_id, id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
                roles = excluded.roles, units = excluded.units, is_organization = excluded.is_organization,
                title = excluded.title, locale = excluded.locale, we_com_user_id = excluded.we_com_user_id
            """, person, transaction);

    public Person? Find(string communityId, string personId) =>
        db.Run(c => c.QuerySingleOrDefault<Person>(
            $"SELECT {Columns} FROM people WHERE community_id = @communityId AND id = @personId",
            new { communityId, personId }));

    public IReadOnlyList<Person> WithPhone(string communityId, string phone) =>
        Query("community_id = @communityId AND phone = @phone ORDER BY id", new { communityId, phone });

    public IReadOnlyList<Person> OfUnit(string communityId, string unitId) =>
        Query("community_id = @communityId " +
            "AND units @> jsonb_build_array(jsonb_build_object('UnitId', @unitId::text)) ORDER BY id",
            new { communityId, unitId });

    public IReadOnlyList<Person> Staff(string communityId) =>
        Query("community_id = @communityId AND title IS NOT NULL ORDER BY id", new { communityId });

    public bool AnyResidentNamedIn(string communityId, string text) =>
        db.Run(c => c.ExecuteScalar<bool>("""
            SELECT EXISTS (SELECT 1 FROM people
                WHERE community_id = @communityId AND title IS NULL AND NOT is_organization
                  AND char_length(name) > 1 AND strpos(@text, name) > 0)
            """, new { communityId, text }));

    public IReadOnlyList<Person> InCommunity(string communityId, int skip = 0, int take = int.MaxValue) =>
        Query("community_id = @communityId ORDER BY id OFFSET @skip LIMIT @take", new { communityId, skip, take });

    public Person? FindByWeComUserId(string weComUserId) =>
        db.Run(c => c.QueryFirstOrDefault<Person>(
            $"SELECT {Columns} FROM people WHERE we_com_user_id = @weComUserId ORDER BY community_id, id",
            new { weComUserId }));

    private List<Person> Query(string where, object parameters) =>
        db.Run(c => c.Query<Person>($"SELECT {Columns} FROM people WHERE {where}", parameters).AsList());
}
