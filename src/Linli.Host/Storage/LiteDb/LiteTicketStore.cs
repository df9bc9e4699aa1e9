using System.Globalization;
using LiteDB;
using Linli.Tickets;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Tickets and duty rosters in LiteDB. One process owns the file, so a lock makes each compare-and-write atomic; a
/// shared database (PostgreSQL) does the same with a conditional UPDATE in a transaction.
/// </summary>
public sealed class LiteTicketStore(LinliDatabase db) : ITicketStore
{
    private readonly Lock _writes = new();

    public TicketOpening Open(Ticket draft, string numberPrefix)
    {
        lock (_writes)
        {
            return db.InTransaction(() =>
            {
                if (db.Tickets.FindOne(t => t.SourceKey == draft.SourceKey) is { } existing)
                    return new TicketOpening(existing, Opened: false);
                var ticket = draft with { Number = $"{numberPrefix}{LastNumber(numberPrefix) + 1:D4}", Revision = 0 };
                db.Tickets.Insert(ticket);
                return new TicketOpening(ticket, Opened: true);
            });
        }
    }

    /// <summary>The highest count among the numbers with this prefix, 0 when there are none.</summary>
    private int LastNumber(string prefix) =>
        db.Tickets.Query().Where(t => t.Number.StartsWith(prefix)).Select(t => t.Number).ToEnumerable()
            .Select(n => int.TryParse(n.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture,
                out var count) ? count : 0)
            .DefaultIfEmpty(0).Max();

    public Ticket? Find(string communityId, string number) =>
        FindByNumber(number) is { } ticket && ticket.CommunityId == communityId ? ticket : null;

    public Ticket? FindByNumber(string number) => db.Tickets.FindOne(t => t.Number == number);

    public Ticket? TryReplace(Ticket changed)
    {
        lock (_writes)
        {
            if (db.Tickets.FindById(changed.Id) is not { } stored || stored.Revision != changed.Revision) return null;
            var saved = changed with { Revision = changed.Revision + 1 };
            return db.Tickets.Update(saved) ? saved : null;
        }
    }

    /// <remarks>
    /// The filters run in the query; LiteDB orders by one key only, so the filtered tickets are ordered and paged
    /// here. A place's prefix is a LIKE pattern here ("3栋": a building number never holds % or _).
    /// </remarks>
    public IReadOnlyList<Ticket> Queue(string communityId, TicketQuery query, int skip, int take)
    {
        var tickets = db.Tickets.Query().Where(t => t.CommunityId == communityId);
        if (query.Kind is { } kind) tickets = tickets.Where(t => t.Kind == kind);
        if (query.Status is { } status) tickets = tickets.Where(t => t.Status == status);
        if (query.Urgency is { } urgency) tickets = tickets.Where(t => t.Urgency == urgency);
        if (query.AssigneeId is { } assignee) tickets = tickets.Where(t => t.AssigneeId == assignee);
        if (query.OpenOnly)
            tickets = tickets.Where(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed);
        if (query.Place is { } place)
            tickets = tickets.Where(BsonExpression.Create("$.UnitId IN @0 OR $.Location LIKE @1",
                new BsonArray(place.UnitIds.Select(id => new BsonValue(id))), place.LocationPrefix + "%"));
        return tickets.ToEnumerable()
            .OrderBy(t => t.Status is TicketStatus.Resolved or TicketStatus.Closed)
            .ThenBy(t => t.Urgency == "urgent" ? 0 : 1)
            .ThenBy(t => t.RespondBy)
            .Skip(skip).Take(take).ToList();
    }

    public IReadOnlyList<Ticket> ChangedSince(string communityId, DateTimeOffset since) =>
        db.Tickets.Query().Where(t => t.CommunityId == communityId && t.UpdatedAt > since)
            .OrderBy(t => t.UpdatedAt).ToList();

    public IReadOnlyList<Ticket> OpenOf(string channelId, string userId, string? unitId)
    {
        var mine = db.Tickets.Query()
            .Where(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed);
        mine = unitId is null
            ? mine.Where(t => t.Reporter.ChannelId == channelId && t.Reporter.UserId == userId)
            : mine.Where(t => (t.Reporter.ChannelId == channelId && t.Reporter.UserId == userId) || t.UnitId == unitId);
        return mine.OrderByDescending(t => t.CreatedAt).ToList();
    }

    public Ticket? LatestEmergency(string channelId, string userId, DateTimeOffset since) =>
        db.Tickets.Query()
            .Where(t => t.Kind == "emergency" && t.Reporter.ChannelId == channelId && t.Reporter.UserId == userId
                        && t.CreatedAt >= since && (t.Status == TicketStatus.New || t.Status == TicketStatus.Assigned))
            .OrderByDescending(t => t.CreatedAt).FirstOrDefault();

    /// <remarks>Only the fields counted are read, not each ticket's history and messages.</remarks>
    public IReadOnlyList<TicketFigure> OpenedSince(string communityId, DateTimeOffset since) =>
        db.Tickets.Query()
            .Where(t => t.CommunityId == communityId && t.CreatedAt >= since)
            .Select(t => new { t.Kind, t.CreatedAt, t.RespondBreachedAt, t.ResolveBreachedAt, t.Rating, t.Ladder })
            .ToEnumerable()
            .Select(t => new TicketFigure(t.Kind, t.CreatedAt,
                t.RespondBreachedAt is not null || t.ResolveBreachedAt is not null, t.Rating, t.Ladder))
            .OrderBy(t => t.CreatedAt)
            .ToList();

    public IReadOnlyList<OpenTicketCount> OpenCounts(string communityId) =>
        db.Tickets.Query()
            .Where(t => t.CommunityId == communityId && t.Status != TicketStatus.Resolved
                        && t.Status != TicketStatus.Closed)
            .Select(t => new { t.Status, t.RespondBreachedAt, t.ResolveBreachedAt })
            .ToEnumerable()
            .GroupBy(t => t.Status)
            .Select(g => new OpenTicketCount(g.Key, g.Count(),
                g.Count(t => t.RespondBreachedAt is not null || t.ResolveBreachedAt is not null)))
            .OrderBy(c => c.Status)
            .ToList();

    public IReadOnlyList<string> AttachmentsOfTicketsNotClosed() =>
        db.Tickets.Query()
            .Where(t => t.Status != TicketStatus.Closed)
            .Select(t => new { t.Attachments })
            .ToEnumerable()
            .SelectMany(t => t.Attachments)
            .ToList();

    public IReadOnlyList<Ticket> UnacknowledgedEmergencies() =>
        db.Tickets.Query()
            .Where(t => t.Kind == "emergency" && t.Status == TicketStatus.New && t.Ladder!.AcknowledgedAt == null)
            .ToList();

    public IReadOnlyList<Ticket> Overdue(DateTimeOffset now) =>
        db.Tickets.Query()
            .Where(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed
                        && t.Status != TicketStatus.WaitingOnResident)
            .Where(t => (t.RespondBreachedAt == null && t.RespondBy < now
                         && (t.Status == TicketStatus.New || t.Status == TicketStatus.Reopened))
                        || (t.ResolveBreachedAt == null && t.ResolveBy < now))
            .ToList();

    public IReadOnlyList<Ticket> NotStartedSince(DateTimeOffset cutoff) =>
        db.Tickets.Query()
            .Where(t => t.Status == TicketStatus.Assigned && t.Kind != "emergency")
            .Where(BsonExpression.Create("$.History[-1].Status = @0 AND $.History[-1].At <= @1",
                nameof(TicketStatus.Assigned), new BsonValue(cutoff.UtcDateTime)))
            .ToList();

    public DutyRoster? FindRoster(string communityId)
    {
        var roster = db.DutyRosters.FindById(communityId);
        return LegacyPointer(communityId) is { } last && roster?.LastRoundRobin is null
            ? (roster ?? Empty(communityId)) with { LastRoundRobin = last }
            : roster;
    }

    public void SaveRoster(string communityId, IReadOnlyList<string> personIds)
    {
        lock (_writes)
        {
            var roster = FindRoster(communityId) ?? Empty(communityId);
            db.DutyRosters.Upsert(roster with { PersonIds = [.. personIds] });
        }
    }

    public bool TryMoveRoundRobin(string communityId, string? expectedLast, string next)
    {
        lock (_writes)
        {
            return db.InTransaction(() =>
            {
                var roster = FindRoster(communityId) ?? Empty(communityId);
                if (roster.LastRoundRobin != expectedLast) return false;
                db.DutyRosters.Upsert(roster with { LastRoundRobin = next });
                db.Settings.Delete(LegacyPointerKey(communityId));
                return true;
            });
        }
    }

    private static DutyRoster Empty(string communityId) => new() { Id = communityId, PersonIds = [] };

    /// <summary>
    /// Where the round robin's place was kept before it moved into the roster ("roundrobin.{community}" in the
    /// settings): read until the next turn moves it over.
    /// </summary>
    private string? LegacyPointer(string communityId) => db.Settings.FindById(LegacyPointerKey(communityId))?.Value;

    private static string LegacyPointerKey(string communityId) => $"roundrobin.{communityId}";
}
