using Dapper;
using Linli.Notices;

namespace Linli.Storage.Postgres;

public sealed class PgNoticeStore(PostgresDatabase db) : INoticeStore
{
    private const string Columns =
        "id, community_id, scope, building_number, unit_id, title, body, published_at, published_by, pushed_to";

    public void Save(Notice notice) =>
        db.Run(c => c.Execute($"""
            INSERT INTO notices ({Columns})
            VALUES (@Id, @CommunityId, @Scope, @BuildingNumber, @UnitId, @Title, @Body, @PublishedAt, @PublishedBy,
                @PushedTo)
            ON CONFLICT (community_id, id) DO UPDATE SET scope = excluded.scope,
                building_number = excluded.building_number, unit_id = excluded.unit_id, title = excluded.title,
                body = excluded.body, published_at = excluded.published_at, published_by = excluded.published_by,
                pushed_to = excluded.pushed_to
            """, new
        {
            notice.Id, notice.CommunityId, Scope = notice.Scope.ToString(), notice.BuildingNumber, notice.UnitId,
            notice.Title, notice.Body, notice.PublishedAt, notice.PublishedBy, notice.PushedTo,
        }));

    public Notice? Find(string communityId, string id) =>
        db.Run(c => c.QuerySingleOrDefault<Notice>(
            $"SELECT {Columns} FROM notices WHERE community_id = @communityId AND id = @id", new { communityId, id }));

    public IReadOnlyList<Notice> Latest(string communityId, int take = int.MaxValue) =>
        db.Run(c => c.Query<Notice>($"""
            SELECT {Columns} FROM notices WHERE community_id = @communityId
            ORDER BY published_at DESC, id DESC LIMIT @take
            """, new { communityId, take }).AsList());
}
