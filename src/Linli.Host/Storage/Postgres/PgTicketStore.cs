using Dapper;
using Linli.Tickets;

namespace Linli.Storage.Postgres;

/// <summary>
/// Tickets and duty rosters in PostgreSQL: each ticket a document beside the columns its queries use. Any instance
/// may write: a ticket is numbered in the transaction that inserts it, and replaced only over the revision read.
/// </summary>
public sealed class PgTicketStore(PostgresDatabase db) : ITicketStore
{
    private const string Columns = """
        community_id, id, number, source_key, kind, status, urgency, assignee_id, unit_id, location,
        reporter_channel, reporter_user, reporter_person_id, created_at, updated_at, respond_by, resolve_by,
        respond_breached_at, resolve_breached_at, acknowledged_at, last_event_status, last_event_at, revision, doc
        """;

    private const string Values = """
        @CommunityId, @Id, @Number, @SourceKey, @Kind, @Status, @Urgency, @AssigneeId, @UnitId, @Location,
        @ReporterChannel, @ReporterUser, @ReporterPersonId, @CreatedAt, @UpdatedAt, @RespondBy, @ResolveBy,
        @RespondBreachedAt, @ResolveBreachedAt, @AcknowledgedAt, @LastEventStatus, @LastEventAt, @Revision, @Doc::json
        """;

    private const string Running = "status NOT IN ('Resolved', 'Closed')";

    public TicketOpening Open(Ticket draft, string numberPrefix)
    {
        if (FindBySource(draft) is { } existing) return new TicketOpening(existing, Opened: false);
        using var connection = db.Connect();
        using var transaction = connection.BeginTransaction();
        var count = PgCounters.NextInSeries(connection, transaction, "tickets", "", numberPrefix);
        var ticket = draft with { Number = $"{numberPrefix}{count:D4}", Revision = 0 };
        // Another instance may have opened the same message meanwhile: then this number is given back.
        if (connection.Execute($"INSERT INTO tickets ({Columns}) VALUES ({Values}) ON CONFLICT DO NOTHING",
                Row(ticket), transaction) == 0)
        {
            transaction.Rollback();
            return new TicketOpening(FindBySource(draft) ?? throw Lost(draft), Opened: false);
        }
        transaction.Commit();
        return new TicketOpening(ticket, Opened: true);
    }

    private static InvalidOperationException Lost(Ticket draft) =>
        new($"Ticket {draft.Id} conflicts with a ticket that cannot be found");

    private Ticket? FindBySource(Ticket draft) => One(
        "community_id = @CommunityId AND (source_key = @SourceKey OR id = @Id)", draft);

    public Ticket? Find(string communityId, string number) =>
        One("community_id = @communityId AND number = @number", new { communityId, number });

    public Ticket? FindByNumber(string number) => One("number = @number", new { number });

    public Ticket? TryReplace(Ticket changed)
    {
        var saved = changed with { Revision = changed.Revision + 1 };
        var set = string.Join(", ", Columns.Split(',', StringSplitOptions.TrimEntries).Zip(
            Values.Split(',', StringSplitOptions.TrimEntries), (column, value) => $"{column} = {value}"));
        var row = Row(saved);
        var written = db.Run(c => c.Execute($"""
            UPDATE tickets SET {set}
            WHERE community_id = @CommunityId AND id = @Id AND revision = @read
            """, new DynamicParameters(row).Also("read", changed.Revision)));
        return written == 1 ? saved : null;
    }

    public IReadOnlyList<Ticket> Queue(string communityId, TicketQuery query, int skip, int take)
    {
        var where = new List<string> { "community_id = @communityId" };
        if (query.Kind is not null) where.Add("kind = @Kind");
        if (query.Status is not null) where.Add("status = @status");
        if (query.Urgency is not null) where.Add("urgency = @Urgency");
        if (query.AssigneeId is not null) where.Add("assignee_id = @AssigneeId");
        if (query.OpenOnly) where.Add(Running);
        if (query.Place is not null) where.Add("(unit_id = ANY(@units) OR starts_with(location, @prefix))");
        return Many($"""
            {string.Join(" AND ", where)}
            ORDER BY status IN ('Resolved', 'Closed'), urgency <> 'urgent', respond_by, created_at, id
            OFFSET @skip LIMIT @take
            """, new
        {
            communityId, query.Kind, status = query.Status?.ToString(), query.Urgency, query.AssigneeId,
            units = query.Place?.UnitIds.ToArray(), prefix = query.Place?.LocationPrefix, skip, take,
        });
    }

    public IReadOnlyList<Ticket> ChangedSince(string communityId, DateTimeOffset since) =>
        Many("community_id = @communityId AND updated_at > @since ORDER BY updated_at, id",
            new { communityId, since });

    public IReadOnlyList<Ticket> OpenOf(string channelId, string userId, string? unitId) => Many($"""
        {Running} AND ((reporter_channel = @channelId AND reporter_user = @userId) OR unit_id = @unitId)
        ORDER BY created_at DESC, id DESC
        """, new { channelId, userId, unitId });

    public Ticket? LatestEmergency(string channelId, string userId, DateTimeOffset since) => One("""
        kind = 'emergency' AND reporter_channel = @channelId AND reporter_user = @userId AND created_at >= @since
        AND status IN ('New', 'Assigned')
        ORDER BY created_at DESC, id DESC LIMIT 1
        """, new { channelId, userId, since });

    public IReadOnlyList<TicketFigure> OpenedSince(string communityId, DateTimeOffset since) =>
        db.Run(c => c.Query<(string Kind, DateTimeOffset CreatedAt, bool Breached, int? Rating, string? Ladder)>("""
            SELECT kind, created_at,
                respond_breached_at IS NOT NULL OR resolve_breached_at IS NOT NULL,
                (doc->>'Rating')::int, doc->>'Ladder'
            FROM tickets WHERE community_id = @communityId AND created_at >= @since
            ORDER BY created_at, id
            """, new { communityId, since })
            .Select(t => new TicketFigure(t.Kind, t.CreatedAt, t.Breached, t.Rating,
                t.Ladder is null ? null : PgDocuments.Read<EmergencyLadder>(t.Ladder)))
            .AsList());

    public IReadOnlyList<OpenTicketCount> OpenCounts(string communityId) =>
        db.Run(c => c.Query<(string Status, int Count, int PastDeadline)>($"""
            SELECT status, count(*)::int,
                count(*) FILTER (WHERE respond_breached_at IS NOT NULL OR resolve_breached_at IS NOT NULL)::int
            FROM tickets WHERE community_id = @communityId AND {Running}
            GROUP BY status
            """, new { communityId })
            .Select(t => new OpenTicketCount(Enum.Parse<TicketStatus>(t.Status), t.Count, t.PastDeadline))
            .OrderBy(t => t.Status)
            .ToList());

    public IReadOnlyList<string> AttachmentsOfTicketsNotClosed() =>
        db.Run(c => c.Query<string>("""
            SELECT json_array_elements_text(doc->'Attachments') FROM tickets WHERE status <> 'Closed'
            """).AsList());

    public IReadOnlyList<Ticket> UnacknowledgedEmergencies() =>
        Many("kind = 'emergency' AND status = 'New' AND acknowledged_at IS NULL", new { });

    public IReadOnlyList<Ticket> Overdue(DateTimeOffset now) => Many($"""
        {Running} AND status <> 'WaitingOnResident'
        AND ((respond_breached_at IS NULL AND respond_by < @now AND status IN ('New', 'Reopened'))
             OR (resolve_breached_at IS NULL AND resolve_by < @now))
        """, new { now });

    public IReadOnlyList<Ticket> NotStartedSince(DateTimeOffset cutoff) => Many("""
        status = 'Assigned' AND kind <> 'emergency' AND last_event_status = 'Assigned' AND last_event_at <= @cutoff
        """, new { cutoff });

    public DutyRoster? FindRoster(string communityId) =>
        db.Run(c => c.QuerySingleOrDefault<DutyRoster>(
            """
            SELECT community_id AS id, person_ids, last_round_robin FROM duty_rosters WHERE community_id = @communityId
            """, new { communityId }));

    public void SaveRoster(string communityId, IReadOnlyList<string> personIds) =>
        db.Run(c => c.Execute("""
            INSERT INTO duty_rosters (community_id, person_ids) VALUES (@communityId, @personIds)
            ON CONFLICT (community_id) DO UPDATE SET person_ids = excluded.person_ids
            """, new { communityId, personIds = personIds.ToList() }));

    public bool TryMoveRoundRobin(string communityId, string? expectedLast, string next) => db.Run(c =>
    {
        // The roster's row is the turn: of two instances moving from the same place, one updates it.
        var moved = c.Execute("""
            UPDATE duty_rosters SET last_round_robin = @next
            WHERE community_id = @communityId AND last_round_robin IS NOT DISTINCT FROM @expectedLast
            """, new { communityId, expectedLast, next }) == 1;
        return moved || (expectedLast is null && c.Execute("""
            INSERT INTO duty_rosters (community_id, person_ids, last_round_robin)
            VALUES (@communityId, '[]', @next) ON CONFLICT (community_id) DO NOTHING
            """, new { communityId, next }) == 1);
    });

    private Ticket? One(string where, object args) =>
        db.Run(c => c.QuerySingleOrDefault<string>($"SELECT doc FROM tickets WHERE {where}", args)) is { } doc
            ? Read(doc)
            : null;

    private List<Ticket> Many(string where, object args) =>
        db.Run(c => c.Query<string>($"SELECT doc FROM tickets WHERE {where}", args).Select(Read).ToList());

    private static Ticket Read(string doc) => PgDocuments.Read<Ticket>(doc);

    /// <summary>The ticket's row as Dapper's parameters (its columns' names in PascalCase).</summary>
    internal static object Row(Ticket t) => Row(t, t.History.LastOrDefault());

    private static object Row(Ticket t, TicketEvent? last) => new
    {
        t.CommunityId, t.Id, t.Number, t.SourceKey, t.Kind, Status = t.Status.ToString(), t.Urgency, t.AssigneeId,
        t.UnitId, Location = PgDocuments.Column(t.Location), ReporterChannel = t.Reporter.ChannelId,
        ReporterUser = t.Reporter.UserId, ReporterPersonId = t.Reporter.PersonId, t.CreatedAt, t.UpdatedAt,
        t.RespondBy, t.ResolveBy, t.RespondBreachedAt, t.ResolveBreachedAt, t.Ladder?.AcknowledgedAt,
        LastEventStatus = last?.Status.ToString(), LastEventAt = last?.At, t.Revision, Doc = PgDocuments.Write(t),
    };
}

internal static class DynamicParametersExtensions
{
    public static DynamicParameters Also(this DynamicParameters parameters, string name, object? value)
    {
        parameters.Add(name, value);
        return parameters;
    }
}
