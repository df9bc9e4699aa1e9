using Dapper;
using Linli.Privacy;
using Linli.TeaTable;

namespace Linli.Storage.Postgres;

/// <summary>
/// Owners' votes in PostgreSQL, one row per unit and proposal. An owner's vote is one transaction of upserts in unit
/// order: a second vote of the same owner waits at the first unit's row until the first commits, then replaces all
/// of it, so the two end as one or the other; votes of different units never wait for one another.
/// </summary>
public sealed class PgTeaVoteStore(PostgresDatabase db) : ITeaVoteStore
{
    private const string Columns =
        "thread_id::text || '|' || unit_id AS id, thread_id, unit_id, person_id, stance, reason, at";

    public void Cast(string communityId, int threadId, IReadOnlyCollection<VoteRecord> votes)
    {
        if (votes.Any(v => v.ThreadId != threadId || v.Id != VoteRecord.IdFor(threadId, v.UnitId)))
            throw new ArgumentException($"Votes on thread {threadId} only, each with its id.", nameof(votes));
        db.InTransaction((c, t) =>
        {
            if (!c.ExecuteScalar<bool>(
                    "SELECT EXISTS (SELECT 1 FROM tea_threads WHERE community_id = @communityId AND id = @threadId)",
                    new { communityId, threadId }, t))
                throw new InvalidOperationException($"No thread {threadId} in {communityId}.");
            return c.Execute("""
                INSERT INTO tea_votes (community_id, thread_id, unit_id, person_id, stance, reason, at)
                VALUES (@communityId, @ThreadId, @UnitId, @PersonId, @Stance, @Reason, @At)
                ON CONFLICT (community_id, thread_id, unit_id) DO UPDATE SET person_id = excluded.person_id,
                    stance = excluded.stance, reason = excluded.reason, at = excluded.at
                """, votes.OrderBy(v => v.UnitId, StringComparer.Ordinal).Select(v => new
            {
                communityId, v.ThreadId, v.UnitId, v.PersonId, Stance = v.Stance.ToString(), v.Reason, v.At,
            }), t);
        });
    }

    public IReadOnlyList<VoteRecord> For(string communityId, int threadId) =>
        db.Run(c => c.Query<VoteRecord>($"""
            SELECT {Columns} FROM tea_votes WHERE community_id = @communityId AND thread_id = @threadId
            ORDER BY at, unit_id COLLATE "C"
            """, new { communityId, threadId }).AsList());

    public bool Any(string communityId, int threadId) =>
        db.Run(c => c.ExecuteScalar<bool>(
            "SELECT EXISTS (SELECT 1 FROM tea_votes WHERE community_id = @communityId AND thread_id = @threadId)",
            new { communityId, threadId }));

    public Stance? StanceOf(string communityId, int threadId, string personId) =>
        db.Run(c => c.QueryFirstOrDefault<string>("""
            SELECT stance FROM tea_votes
            WHERE community_id = @communityId AND thread_id = @threadId AND person_id = @personId
            ORDER BY at DESC LIMIT 1
            """, new { communityId, threadId, personId })) is { } stance
            ? Enum.Parse<Stance>(stance)
            : null;
}

/// <summary>Digest marks in PostgreSQL, one row per thread and follower, kept with the thread's community.</summary>
public sealed class PgTeaDigestStore(PostgresDatabase db) : ITeaDigestStore
{
    public IReadOnlyDictionary<string, DigestMark> Marks(string communityId, int threadId)
    {
        var prefix = DigestMark.IdFor(threadId, "");
        return db.Run(c => c.Query<DigestMark>("""
                SELECT thread_id::text || '|' || person_id AS id, last_post_id, sent_at FROM tea_digests
                WHERE community_id = @communityId AND thread_id = @threadId
                """, new { communityId, threadId }))
            .ToDictionary(m => m.Id[prefix.Length..]);
    }

    public void Save(string communityId, int threadId, string personId, DigestMark mark)
    {
        // One statement: the thread is the community's, and the mark lands, or nothing does.
        var saved = db.Run(c => c.Execute("""
            INSERT INTO tea_digests (community_id, thread_id, person_id, last_post_id, sent_at)
            SELECT @communityId, @threadId, @personId, @LastPostId, @SentAt
            WHERE EXISTS (SELECT 1 FROM tea_threads WHERE community_id = @communityId AND id = @threadId)
            ON CONFLICT (community_id, thread_id, person_id) DO UPDATE SET last_post_id = excluded.last_post_id,
                sent_at = excluded.sent_at
            """, new { communityId, threadId, personId, mark.LastPostId, mark.SentAt }));
        if (saved == 0) throw new InvalidOperationException($"No thread {threadId} in {communityId}.");
    }
}

/// <summary>Mutes in PostgreSQL, one row per community and person.</summary>
public sealed class PgTeaMuteStore(PostgresDatabase db) : ITeaMuteStore
{
    public Mute? Find(string communityId, string personId) =>
        db.Run(c => c.QuerySingleOrDefault<Mute>("""
            SELECT community_id || '|' || person_id AS id, until, reason, muted_by AS "by" FROM tea_mutes
            WHERE community_id = @communityId AND person_id = @personId
            """, new { communityId, personId }));

    public void Save(string communityId, string personId, Mute mute) =>
        db.Run(c => c.Execute("""
            INSERT INTO tea_mutes (community_id, person_id, until, reason, muted_by)
            VALUES (@communityId, @personId, @Until, @Reason, @By)
            ON CONFLICT (community_id, person_id) DO UPDATE SET until = excluded.until, reason = excluded.reason,
                muted_by = excluded.muted_by
            """, new { communityId, personId, mute.Until, mute.Reason, mute.By }));

    public bool Delete(string communityId, string personId) =>
        db.Run(c => c.Execute("DELETE FROM tea_mutes WHERE community_id = @communityId AND person_id = @personId",
            new { communityId, personId }) == 1);
}

/// <summary>What a resident wrote at the tea table, in their community.</summary>
public sealed class PgTeaPersonalData(PostgresDatabase db) : IPersonalData
{
    public IEnumerable<string> ConversationsOf(DataSubject subject) => [];

    public void Export(DataSubject subject, IReadOnlySet<string> conversations, PersonalDataExport export) =>
        export.Posts.AddRange(db.Run(c => c.Query<Post>("""
                SELECT thread_id, created_at, text FROM tea_posts
                WHERE community_id = @CommunityId AND author_id = @PersonId ORDER BY id
                """, new { subject.CommunityId, subject.PersonId }))
            .Select(p => new TeaPost(p.ThreadId, p.CreatedAt, p.Text)));

    public void EraseConversations(DataSubject subject, IReadOnlySet<string> conversations)
    {
    }
}
