using LiteDB;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.People;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.Tickets;

/// <summary>Where ticket news goes as it happens (the staff console's live feed).</summary>
public interface ITicketFeed
{
    void Publish(Ticket ticket, bool created);
}

/// <summary>A status change that does not follow from the ticket's current status (e.g. closed → in progress).</summary>
public sealed class TicketConflictException(string message) : Exception(message);

/// <summary>The ticket changed since the caller last saw it (its If-Match version is stale).</summary>
public sealed class TicketVersionException(Ticket current) : Exception($"Ticket {current.Number} is at version {current.Version} now.")
{
    public Ticket Current => current;
}

/// <summary>What staff may filter the queue by.</summary>
public sealed record TicketFilter(string? Kind = null, TicketStatus? Status = null, string? Urgency = null, int? Building = null,
    string? AssigneeId = null, bool OpenOnly = false);

/// <summary>
/// Opens tickets (once per message), routes them (hazards to the safety officer, mediation to the mediator, emergencies
/// paged down the duty roster), and moves them through their statuses, telling the resident each time in their own chat.
/// </summary>
public sealed class TicketService(LinliDatabase db, IOptions<TicketOptions> options, TimeProvider time,
    IStaffPager pager, IConversationEvents conversations, ITicketFeed feed, ILogger<TicketService> logger,
    IStaffNotifier notifier)
{
    private static readonly Dictionary<string, string> Prefixes = new()
    {
        ["repair_request"] = "BX", ["complaint"] = "TS", ["hazard_report"] = "YH", ["emergency"] = "JJ",
        ["mediation"] = "TJ", ["human_handoff"] = "RG",
    };

    /// <summary>Where each status may go next.</summary>
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Allowed = new()
    {
        [TicketStatus.New] = [TicketStatus.Assigned, TicketStatus.InProgress, TicketStatus.WaitingOnResident, TicketStatus.Resolved, TicketStatus.Closed],
        [TicketStatus.Assigned] = [TicketStatus.Assigned, TicketStatus.InProgress, TicketStatus.WaitingOnResident, TicketStatus.Resolved, TicketStatus.Closed],
        [TicketStatus.InProgress] = [TicketStatus.Assigned, TicketStatus.WaitingOnResident, TicketStatus.Resolved, TicketStatus.Closed],
        [TicketStatus.WaitingOnResident] = [TicketStatus.Assigned, TicketStatus.InProgress, TicketStatus.Resolved, TicketStatus.Closed],
        [TicketStatus.Resolved] = [TicketStatus.Closed, TicketStatus.Reopened],
        [TicketStatus.Closed] = [TicketStatus.Reopened],
        [TicketStatus.Reopened] = [TicketStatus.Assigned, TicketStatus.InProgress, TicketStatus.WaitingOnResident, TicketStatus.Resolved, TicketStatus.Closed],
    };

    private readonly Lock _writes = new();

    public const string ResidentActor = "resident";
    public const string SystemActor = "linli";

    public Ticket Open(string kind, IReadOnlyDictionary<string, string> answers, Activity from, string communityId,
        string? unitId = null, string? personId = null)
    {
        var sourceKey = $"{from.ChannelId}|{from.Conversation?.Id}|{from.Id}|{kind}";
        lock (_writes)
        {
            if (db.Tickets.FindOne(t => t.SourceKey == sourceKey) is { } existing) return existing;

            var now = time.GetUtcNow();
            var prefix = NumberPrefix(kind, now);
            var sequence = db.Tickets.Count(t => t.Number.StartsWith(prefix)) + 1;
            var urgency = answers.GetValueOrDefault("urgency") ?? (kind == "emergency" ? "urgent" : "normal");
            var target = options.Value.For(kind, urgency);
            var ticket = new Ticket
            {
                Id = ObjectId.NewObjectId().ToString(),
                Number = $"{prefix}{sequence:D4}",
                Kind = kind,
                CommunityId = communityId,
                Category = answers.GetValueOrDefault("category"),
                UnitId = unitId,
                Location = Answer(answers, "unit", "location", "place", "other_party"),
                Text = Answer(answers, "description", "text", Bot.Dialogs.DialogResults.Said),
                Attachments = (answers.GetValueOrDefault("photo") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
                Urgency = urgency,
                Answers = answers.Where(a => !a.Key.StartsWith("mentioned_")).ToDictionary(),
                Reporter = new TicketReporter(from.ChannelId ?? "", from.From?.Id ?? "", from.Conversation?.Id ?? "", personId),
                CreatedAt = now,
                UpdatedAt = now,
                RespondBy = ServiceClock.Add(now, TimeSpan.FromMinutes(target.RespondMinutes), options.Value.HoursFor(kind, urgency)),
                ResolveBy = ServiceClock.Add(now, TimeSpan.FromMinutes(target.ResolveMinutes), options.Value.HoursFor(kind, urgency)),
                History = [new TicketEvent(now, TicketStatus.New, ResidentActor, null)],
                SourceKey = sourceKey,
            };
            ticket = Route(ticket, now);
            db.Tickets.Insert(ticket);
            feed.Publish(ticket, created: true);
            logger.LogInformation("Ticket {Number} ({Kind}, {Urgency}) opened in {Community}", ticket.Number, kind, urgency, communityId);
            if (ticket.Ladder?.Pages is [var first, ..]) Page(ticket, first.PersonId);
            // Someone in danger from a hazard now: the safety officer hears at once, not at the next look at the queue.
            else if (kind == "hazard_report" && urgency == "urgent" && ticket.AssigneeId is { } officer) Page(ticket, officer, "hazard");
            else if (ticket.AssigneeId is { } routedTo) Assigned(ticket, routedTo);
            return ticket;
        }
    }

    /// <summary>"BX-20261126-": a ticket's number is this and its count among the day's (China time).</summary>
    public static string NumberPrefix(string kind, DateTimeOffset at) =>
        $"{Prefixes.GetValueOrDefault(kind, "QT")}-{at.ToOffset(TimeSpan.FromHours(8)):yyyyMMdd}-";

    private static string? Answer(IReadOnlyDictionary<string, string> answers, params string[] names) =>
        names.Select(answers.GetValueOrDefault).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>Hazards go straight to the safety officer, mediation to the mediator; an emergency pages the first on duty.</summary>
    private Ticket Route(Ticket ticket, DateTimeOffset now)
    {
        if (ticket.Kind == "emergency")
            return ticket with { Ladder = new EmergencyLadder { Pages = Roster(ticket.CommunityId).Take(1).Select(p => new EmergencyPage(p, now)).ToList() } };
        var assignee = ticket.Kind switch
        {
            "hazard_report" => Staff(ticket.CommunityId).FirstOrDefault(p => p.Title == "安全员"),
            "mediation" => Staff(ticket.CommunityId).FirstOrDefault(p => p.Has(Role.Mediator)),
            _ => null,
        };
        return assignee is null ? ticket : ticket with
        {
            AssigneeId = assignee.Id, Status = TicketStatus.Assigned,
            History = [.. ticket.History, new TicketEvent(now, TicketStatus.Assigned, SystemActor, $"→ {assignee.Title} {assignee.Name}")],
        };
    }

    private IEnumerable<Person> Staff(string communityId) =>
        db.People.Find(p => p.CommunityId == communityId).Where(p => p.Title is not null).OrderBy(p => p.Id);

    /// <summary>The community's duty roster in paging order; without one, its staff in the order they were added.</summary>
    public List<string> Roster(string communityId) =>
        db.DutyRosters.FindById(communityId)?.PersonIds
        ?? Staff(communityId).Where(p => p.Has(Role.Staff)).Select(p => p.Id).ToList();

    public void SetRoster(string communityId, List<string> personIds) =>
        db.DutyRosters.Upsert(new DutyRoster { Id = communityId, PersonIds = personIds });

    /// <summary>Every write goes through here: one version up. Callers hold <see cref="_writes"/>.</summary>
    private Ticket Save(Ticket ticket)
    {
        var now = time.GetUtcNow();
        var saved = Clock(ticket, now) with { Version = ticket.Version + 1, UpdatedAt = now };
        db.Tickets.Update(saved);
        feed.Publish(saved, created: false);
        return saved;
    }

    /// <summary>
    /// Waiting on the resident stops the clock; when the ticket moves on, the service time that was left when it stopped
    /// is given back from now (in business hours when the target counts them).
    /// </summary>
    private Ticket Clock(Ticket ticket, DateTimeOffset now)
    {
        var waiting = ticket.Status == TicketStatus.WaitingOnResident;
        if (waiting && ticket.PausedAt is null) return ticket with { PausedAt = now };
        if (waiting || ticket.PausedAt is not { } paused) return ticket;
        var hours = options.Value.HoursFor(ticket.Kind, ticket.Urgency);
        var left = ServiceClock.Between(paused, ticket.ResolveBy, hours);
        return ticket with
        {
            PausedAt = null,
            ResolveBy = left > TimeSpan.Zero ? ServiceClock.Add(now, left, hours) : ticket.ResolveBy,
        };
    }

    /// <summary>An internal note for colleagues; the resident never sees it.</summary>
    public Ticket AddNote(string number, string by, string text)
    {
        lock (_writes)
        {
            var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
            return Save(ticket with { Notes = [.. ticket.Notes, new TicketNote(time.GetUtcNow(), by, text)] });
        }
    }

    /// <summary>The resident answered what staff asked: their words go on the ticket and its clock runs again.</summary>
    public Ticket? ResidentAnswered(string number, string text)
    {
        lock (_writes)
        {
            if (Find(number) is not { } ticket) return null;
            var now = time.GetUtcNow();
            var answered = ticket with { Messages = [.. ticket.Messages, new TicketMessage(now, ResidentActor, text)] };
            if (ticket.Status == TicketStatus.WaitingOnResident)
                answered = answered with
                {
                    Status = TicketStatus.InProgress,
                    History = [.. ticket.History, new TicketEvent(now, TicketStatus.InProgress, ResidentActor, "answered")],
                };
            return Save(answered);
        }
    }

    /// <summary>
    /// 抢单: takes an unassigned ticket from the pool. Of several staff claiming at once exactly one wins; the others get
    /// the ticket back with the winner on it.
    /// </summary>
    public async Task<(Ticket Ticket, bool Won)> ClaimAsync(string number, string personId, string by, CancellationToken cancellationToken)
    {
        Ticket claimed;
        lock (_writes)
        {
            var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
            if (ticket.AssigneeId is not null || ticket.Status is TicketStatus.Resolved or TicketStatus.Closed) return (ticket, false);
            claimed = Save(ticket with
            {
                AssigneeId = personId, Status = TicketStatus.Assigned,
                History = [.. ticket.History, new TicketEvent(time.GetUtcNow(), TicketStatus.Assigned, by, "claimed")],
            });
            logger.LogInformation("Ticket {Number} claimed by {By}", number, by);
        }
        await NotifyAsync(claimed, null, null, cancellationToken);
        return (claimed, true);
    }

    /// <summary>轮训: gives the ticket to the next person on duty after the one who got the last round-robin ticket.</summary>
    public Task<Ticket> AssignRoundRobinAsync(string number, string by, CancellationToken cancellationToken)
    {
        string next;
        lock (_writes)
        {
            var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
            var roster = Roster(ticket.CommunityId);
            if (roster.Count == 0) throw new TicketConflictException("Nobody is on the duty roster.");
            var pointerId = $"roundrobin.{ticket.CommunityId}";
            var last = db.Settings.FindById(pointerId)?.Value;
            next = roster[(roster.IndexOf(last ?? "") + 1) % roster.Count];
            db.Settings.Upsert(new Channels.DirectLine.SettingRecord(pointerId, next));
        }
        return UpdateAsync(number, TicketStatus.Assigned, next, by, "round robin", cancellationToken);
    }

    /// <summary>转单 (to a colleague) or 退单 (back to the pool, <paramref name="to"/> null): always with a reason, by the assignee or a manager.</summary>
    public async Task<Ticket> HandOnAsync(string number, string? to, string reason, string byPersonId, bool byManager, string by, CancellationToken cancellationToken)
    {
        Ticket changed;
        lock (_writes)
        {
            var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
            if (ticket.AssigneeId != byPersonId && !byManager)
                throw new TicketConflictException("Only the person who has the ticket, or a manager, can pass it on.");
            if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
                throw new TicketConflictException($"A ticket that is {ticket.Status} cannot be passed on.");
            if (to is not null && !IsStaffOf(to, ticket.CommunityId))
                throw new TicketConflictException($"{to} is not staff of this community.");
            var status = to is null ? TicketStatus.New : TicketStatus.Assigned;
            changed = Save(ticket with
            {
                AssigneeId = to, Status = status,
                History = [.. ticket.History, new TicketEvent(time.GetUtcNow(), status, by, (to is null ? "退单: " : "转单: ") + reason)],
            });
            logger.LogInformation("Ticket {Number} {Action} by {By}: {Reason}", number, to is null ? "sent back" : $"transferred to {to}", by, reason);
            if (to is not null) Assigned(changed, to);
        }
        return changed;
    }

    private bool IsStaffOf(string personId, string communityId) =>
        db.People.FindById(personId) is { Title: not null } person && person.CommunityId == communityId;

    public Ticket? Find(string number) => db.Tickets.FindOne(t => t.Number == number);

    public List<Ticket> List(string communityId, TicketFilter filter, int skip, int take)
    {
        var units = filter.Building is { } b
            ? db.Units.Find(u => u.CommunityId == communityId && u.BuildingNumber == b).Select(u => u.Id).ToHashSet()
            : null;
        return db.Tickets.Find(t => t.CommunityId == communityId)
            .Where(t => filter.Kind is null || t.Kind == filter.Kind)
            .Where(t => filter.Status is null || t.Status == filter.Status)
            .Where(t => filter.Urgency is null || t.Urgency == filter.Urgency)
            .Where(t => filter.AssigneeId is null || t.AssigneeId == filter.AssigneeId)
            .Where(t => units is null || (t.UnitId is not null && units.Contains(t.UnitId))
                                      || (t.Location?.StartsWith($"{filter.Building}栋") ?? false))
            .Where(t => !filter.OpenOnly || t.Status is not (TicketStatus.Resolved or TicketStatus.Closed))
            .OrderBy(t => t.Status is TicketStatus.Resolved or TicketStatus.Closed)
            .ThenBy(t => t.Urgency == "urgent" ? 0 : 1)
            .ThenBy(t => t.RespondBy)
            .Skip(skip).Take(take).ToList();
    }

    /// <summary>Moves the ticket on (and/or gives it to someone), records who did it, and tells the resident in their own conversation.</summary>
    public async Task<Ticket> UpdateAsync(string number, TicketStatus? status, string? assigneeId, string by, string? note, CancellationToken cancellationToken,
        int? expectedVersion = null)
    {
        Ticket changed;
        lock (_writes)
        {
            var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
            if (expectedVersion is { } expected && expected != ticket.Version)
                throw new TicketVersionException(ticket);
            if (assigneeId is not null && !IsStaffOf(assigneeId, ticket.CommunityId))
                throw new TicketConflictException($"{assigneeId} is not staff of this community.");
            var next = status ?? (assigneeId is not null && ticket.Status is TicketStatus.New or TicketStatus.Reopened ? TicketStatus.Assigned : ticket.Status);
            if (next != ticket.Status && !Allowed[ticket.Status].Contains(next))
                throw new TicketConflictException($"A ticket that is {ticket.Status} cannot become {next}.");
            changed = Save(ticket with
            {
                Status = next,
                AssigneeId = assigneeId ?? ticket.AssigneeId,
                History = [.. ticket.History, new TicketEvent(time.GetUtcNow(), next, by, note)],
            });
            logger.LogInformation("Ticket {Number}: {From} → {To} by {By}", number, ticket.Status, next, by);
            if (assigneeId is not null && assigneeId != ticket.AssigneeId) Assigned(changed, assigneeId);
            if (next == ticket.Status && string.IsNullOrWhiteSpace(note)) return changed;
        }
        await NotifyAsync(changed, note, null, cancellationToken);
        return changed;
    }

    public Task<Ticket> ChangeStatusAsync(string number, TicketStatus status, string by, string? note, CancellationToken cancellationToken) =>
        UpdateAsync(number, status, null, by, note, cancellationToken);

    public Ticket? AppendMessage(string number, TicketMessage message)
    {
        lock (_writes)
        {
            // Not through Save: a chat line is not a change of the ticket (no version bump, published by the caller).
            if (Find(number) is not { } ticket) return null;
            var updated = ticket with { Messages = [.. ticket.Messages, message], UpdatedAt = time.GetUtcNow() };
            db.Tickets.Update(updated);
            return updated;
        }
    }

    /// <summary>Photos the resident sent after the ticket was logged.</summary>
    public Ticket? AddAttachments(string number, IEnumerable<string> urls)
    {
        lock (_writes)
        {
            if (Find(number) is not { } ticket) return null;
            return Save(ticket with { Attachments = [.. ticket.Attachments, .. urls.Where(u => !ticket.Attachments.Contains(u))] });
        }
    }

    /// <summary>
    /// The resident says it is not an emergency after all ("不是紧急情况"): the emergency is closed, its paging stops, and
    /// the duty officer's console shows why. The resident is not told of the closing: they asked for it.
    /// </summary>
    public Ticket? StandDown(string number, string note)
    {
        lock (_writes)
        {
            if (Find(number) is not { Kind: "emergency", Status: TicketStatus.New or TicketStatus.Assigned } ticket) return null;
            var now = time.GetUtcNow();
            logger.LogInformation("Emergency {Number} stood down by the resident", number);
            return Save(ticket with
            {
                Status = TicketStatus.Closed,
                History = [.. ticket.History, new TicketEvent(now, TicketStatus.Closed, ResidentActor, note)],
            });
        }
    }

    /// <summary>The resident's latest emergency, if raised in this conversation within the last half hour and still open.</summary>
    public Ticket? RecentEmergency(string channelId, string userId)
    {
        var since = time.GetUtcNow().AddMinutes(-30);
        return db.Tickets.Find(t => t.Kind == "emergency" && t.Reporter.ChannelId == channelId && t.Reporter.UserId == userId && t.CreatedAt >= since)
            .Where(t => t.Status is TicketStatus.New or TicketStatus.Assigned)
            .OrderByDescending(t => t.CreatedAt).FirstOrDefault();
    }

    /// <summary>A resident's tickets still being handled: those they reported, and those of their flat.</summary>
    public List<Ticket> OpenFor(string channelId, string userId, string? unitId) =>
        db.Tickets.Find(t => (t.Reporter.ChannelId == channelId && t.Reporter.UserId == userId) || (unitId != null && t.UnitId == unitId))
            .Where(t => t.Status is not (TicketStatus.Resolved or TicketStatus.Closed) && t.Kind != "human_handoff")
            .OrderByDescending(t => t.CreatedAt).ToList();

    /// <summary>Where an emergency is, once the resident has said.</summary>
    public void Locate(string number, string location)
    {
        lock (_writes)
        {
            if (Find(number) is { } ticket) Save(ticket with { Location = location });
        }
    }

    /// <summary>The resident's rating after resolution; "not fixed" reopens the ticket instead.</summary>
    public Ticket Rate(string number, int rating, string? comment)
    {
        lock (_writes)
        {
            var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
            var rated = ticket with { Rating = Math.Clamp(rating, 1, 5), RatingComment = string.IsNullOrWhiteSpace(comment) ? null : comment };
            rated = Save(rated);
            return rated;
        }
    }

    public Ticket Reopen(string number, string? comment)
    {
        lock (_writes)
        {
            var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
            if (!Allowed[ticket.Status].Contains(TicketStatus.Reopened)) return ticket;
            var reopened = ticket with
            {
                Status = TicketStatus.Reopened,
                History = [.. ticket.History, new TicketEvent(time.GetUtcNow(), TicketStatus.Reopened, ResidentActor, comment)],
            };
            reopened = Save(reopened);
            return reopened;
        }
    }

    /// <summary>A step of the 1-3-5 ladder: acknowledged, on the way, on site; each time-stamped once.</summary>
    public async Task<Ticket> LadderAsync(string number, LadderStep step, string personId, string by, CancellationToken cancellationToken)
    {
        Ticket changed;
        lock (_writes)
        {
            var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
            if (ticket.Ladder is not { } ladder) throw new TicketConflictException($"{number} is not an emergency.");
            var now = time.GetUtcNow();
            ladder = step switch
            {
                LadderStep.Acknowledge => ladder with { AcknowledgedAt = ladder.AcknowledgedAt ?? now, AcknowledgedBy = ladder.AcknowledgedBy ?? personId },
                LadderStep.OnTheWay => ladder with { AcknowledgedAt = ladder.AcknowledgedAt ?? now, AcknowledgedBy = ladder.AcknowledgedBy ?? personId, OnTheWayAt = ladder.OnTheWayAt ?? now },
                _ => ladder with { AcknowledgedAt = ladder.AcknowledgedAt ?? now, AcknowledgedBy = ladder.AcknowledgedBy ?? personId, OnTheWayAt = ladder.OnTheWayAt ?? now, OnSiteAt = ladder.OnSiteAt ?? now },
            };
            var status = step == LadderStep.Acknowledge ? TicketStatus.Assigned : TicketStatus.InProgress;
            if (!Allowed[ticket.Status].Contains(status) && ticket.Status != status) status = ticket.Status;
            changed = Save(ticket with
            {
                Ladder = ladder, Status = status, AssigneeId = ticket.AssigneeId ?? personId,
                History = [.. ticket.History, new TicketEvent(now, status, by, LadderNote(step))],
            });
            logger.LogInformation("Emergency {Number}: {Step} by {By}", number, step, by);
        }
        await NotifyAsync(changed, null, LadderNote(step), cancellationToken);
        return changed;
    }

    /// <summary>Tells the resident, inside their own conversation, in a turn of its own once the ticket is saved.</summary>
    private async Task NotifyAsync(Ticket ticket, string? note, string? ladderStep, CancellationToken cancellationToken)
    {
        var changed = new TicketChanged(ticket.Number, ticket.Status.ToString(), note, ladderStep);
        await conversations.PostAsync(new ConversationEvent(ticket.Reporter.ChannelId, ticket.Reporter.UserId,
            TicketChanged.EventName, changed), cancellationToken);
    }

    private static string LadderNote(LadderStep step) => step switch
    {
        LadderStep.Acknowledge => "ack",
        LadderStep.OnTheWay => "on_the_way",
        _ => "on_site",
    };

    /// <summary>Marks breaches (paging the assignee and the manager) and passes on tickets an assignee has not started.</summary>
    public async Task CheckServiceLevelsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reassignAfter = TimeSpan.FromMinutes(options.Value.ReassignAfterMinutes);
        var stale = new List<Ticket>();
        lock (_writes)
        {
            // Waiting on the resident: the clock stands still.
            foreach (var ticket in db.Tickets.Find(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed
                                                        && t.Status != TicketStatus.WaitingOnResident).ToList())
            {
                var respondLate = ticket.RespondBreachedAt is null && ticket.Status is TicketStatus.New or TicketStatus.Reopened && ticket.RespondBy < now;
                var resolveLate = ticket.ResolveBreachedAt is null && ticket.ResolveBy < now;
                if (respondLate || resolveLate)
                {
                    var marked = Save(ticket with
                    {
                        RespondBreachedAt = respondLate ? now : ticket.RespondBreachedAt,
                        ResolveBreachedAt = resolveLate ? now : ticket.ResolveBreachedAt,
                    });
                    var reason = resolveLate ? "resolve_breached" : "respond_breached";
                    logger.LogWarning("Ticket {Number} breached its {Target} time", ticket.Number, resolveLate ? "resolve" : "respond");
                    foreach (var person in new[] { marked.AssigneeId, Manager(ticket.CommunityId) }.OfType<string>().Distinct())
                        Page(marked, person, reason);
                }
                // Assigned and untouched since: not responding.
                if (reassignAfter > TimeSpan.Zero && ticket.Status == TicketStatus.Assigned && ticket.Kind != "emergency"
                    && ticket.History.LastOrDefault() is { Status: TicketStatus.Assigned } given && now - given.At >= reassignAfter)
                    stale.Add(ticket);
            }
        }
        foreach (var ticket in stale)
        {
            // Only among the people on duty: a hazard stays with the safety officer, a mediation with the mediator
            // (their breaches page them and the manager instead).
            var onDuty = Roster(ticket.CommunityId);
            if (!onDuty.Contains(ticket.AssigneeId!)) continue;
            var roster = onDuty.Where(p => p != ticket.AssigneeId).ToList();
            if (roster.Count == 0) continue;
            var next = roster[0];
            logger.LogWarning("Ticket {Number}: {Assignee} did not start it within {Minutes} min; passing it to {Next}",
                ticket.Number, ticket.AssigneeId, reassignAfter.TotalMinutes, next);
            await UpdateAsync(ticket.Number, TicketStatus.Assigned, next, SystemActor, "reassigned: no response", cancellationToken);
        }
    }

    private string? Manager(string communityId) => Staff(communityId).FirstOrDefault(p => p.Has(Role.Manager))?.Id;

    /// <summary>Pages the next person on the roster for every emergency whose last page went unacknowledged for a minute.</summary>
    public int EscalateUnacknowledged()
    {
        var now = time.GetUtcNow();
        var after = TimeSpan.FromSeconds(options.Value.EscalateAfterSeconds);
        var escalated = 0;
        lock (_writes)
        {
            foreach (var ticket in db.Tickets.Find(t => t.Kind == "emergency" && t.Status == TicketStatus.New))
            {
                if (ticket.Ladder is not { AcknowledgedAt: null } ladder) continue;
                var last = ladder.Pages.LastOrDefault();
                if (last is not null && now - last.At < after) continue;
                var roster = Roster(ticket.CommunityId);
                if (roster.Count == 0) continue;
                // The next one down; after the last, start again at the top.
                var next = roster[(last is null ? 0 : roster.IndexOf(last.PersonId) + 1) % roster.Count];
                Save(ticket with { Ladder = ladder with { Pages = [.. ladder.Pages, new EmergencyPage(next, now)] } });
                logger.LogWarning("Emergency {Number} not acknowledged within {Seconds}s: escalating to {Person}", ticket.Number, after.TotalSeconds, next);
                Page(ticket, next);
                escalated++;
            }
        }
        return escalated;
    }

    private void Page(Ticket ticket, string personId, string reason = "emergency")
    {
        if (db.People.FindById(personId) is { } person) pager.Page(ticket, person, reason);
    }

    /// <summary>The ticket became <paramref name="personId"/>'s by another's doing (a claim is one's own).</summary>
    private void Assigned(Ticket ticket, string personId)
    {
        if (db.People.FindById(personId) is { } person) notifier.Assigned(ticket, person);
    }
}

/// <summary>The event a ticket change sends into the resident's conversation.</summary>
public sealed record TicketChanged(string Number, string Status, string? Note, string? LadderStep)
{
    public const string EventName = "linli.ticket";
}

public enum LadderStep { Acknowledge, OnTheWay, OnSite }
