using Linli.Bot.Schema;
using Linli.Calendar;
using Linli.Hosting;
using Linli.People;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.Tickets;

/// <summary>Where ticket news goes as it happens (the staff console's live feed).</summary>
public interface ITicketFeed
{
    void Publish(Ticket ticket, bool created);
}

/// <summary>What staff may filter the queue by.</summary>
public sealed record TicketFilter(string? Kind = null, TicketStatus? Status = null, string? Urgency = null,
    int? Building = null, string? AssigneeId = null, bool OpenOnly = false);

/// <summary>
/// Opens tickets (once per message) and routes them (hazards to the safety officer, mediation to the mediator,
/// emergencies paged down the duty roster); finds them; and takes what the resident does with their own: answers,
/// photos, where an emergency is, standing one down, a rating or a reopening. What staff do is
/// <see cref="TicketWorkflow"/>'s.
/// </summary>
public sealed class TicketService(ITicketStore store, TicketWriter writer, DutyRosters rosters, TicketPeople people,
    IOptions<TicketOptions> options, TimeProvider time, ITicketFeed feed, ILogger<TicketService> logger)
{
    private static readonly Dictionary<string, string> Prefixes = new()
    {
        ["repair_request"] = "BX", ["complaint"] = "TS", ["hazard_report"] = "YH", ["emergency"] = "JJ",
        ["mediation"] = "TJ", ["human_handoff"] = "RG",
    };

    public const string ResidentActor = "resident";
    public const string SystemActor = "linli";

    public Ticket Open(string kind, IReadOnlyDictionary<string, string> answers, Activity from, string communityId,
        string? unitId = null, string? personId = null)
    {
        var now = time.GetUtcNow();
        var urgency = answers.GetValueOrDefault("urgency") ?? (kind == "emergency" ? "urgent" : "normal");
        var target = options.Value.For(kind, urgency);
        var hours = options.Value.HoursFor(kind, urgency);
        var draft = new Ticket
        {
            Id = Ids.New(),
            Number = "",
            Kind = kind,
            CommunityId = communityId,
            Category = answers.GetValueOrDefault("category"),
            UnitId = unitId,
            Location = Answer(answers, "unit", "location", "place", "other_party"),
            Text = Answer(answers, "description", "text", Bot.Dialogs.DialogResults.Said),
            Attachments = [.. Photos(answers.GetValueOrDefault("photo"))],
            Urgency = urgency,
            Answers = answers.Where(a => !a.Key.StartsWith("mentioned_")).ToDictionary(),
            Reporter = new TicketReporter(from.ChannelId ?? "", from.From?.Id ?? "", from.Conversation?.Id ?? "",
                personId),
            CreatedAt = now,
            UpdatedAt = now,
            RespondBy = ServiceClock.Add(now, TimeSpan.FromMinutes(target.RespondMinutes), hours),
            ResolveBy = ServiceClock.Add(now, TimeSpan.FromMinutes(target.ResolveMinutes), hours),
            History = [new TicketEvent(now, TicketStatus.New, ResidentActor, null)],
            SourceKey = $"{from.ChannelId}|{from.Conversation?.Id}|{from.Id}|{kind}",
        };
        var (ticket, opened) = store.Open(Route(draft, now), NumberPrefix(kind, now));
        if (!opened) return ticket;

        feed.Publish(ticket, created: true);
        logger.LogInformation("Ticket {Number} ({Kind}, {Urgency}) opened in {Community}",
            ticket.Number, kind, urgency, communityId);
        if (ticket.Ladder?.Pages is [var first, ..]) rosters.Page(ticket, first.PersonId);
        // Someone in danger from a hazard now: the safety officer hears at once, not at the next look at the queue.
        else if (kind == "hazard_report" && urgency == "urgent" && ticket.AssigneeId is { } officer)
            rosters.Page(ticket, officer, "hazard");
        else if (ticket.AssigneeId is { } routedTo) rosters.Assigned(ticket, routedTo);
        return ticket;
    }

    /// <summary>"BX-20261126-": a ticket's number is this and its count among the day's (China time).</summary>
    public static string NumberPrefix(string kind, DateTimeOffset at) =>
        $"{Prefixes.GetValueOrDefault(kind, "QT")}-{at.InChina():yyyyMMdd}-";

    /// <summary>The photos' addresses, as the dialog keeps them: one string, space-separated.</summary>
    public static string[] Photos(string? said) => (said ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string? Answer(IReadOnlyDictionary<string, string> answers, params string[] names) =>
        names.Select(answers.GetValueOrDefault).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>
    /// Hazards go straight to the safety officer, mediation to the mediator; an emergency pages the first on duty.
    /// </summary>
    private Ticket Route(Ticket ticket, DateTimeOffset now)
    {
        if (ticket.Kind == "emergency")
        {
            var first = rosters.Roster(ticket.CommunityId).Take(1).Select(p => new EmergencyPage(p, now));
            return ticket with { Ladder = new EmergencyLadder { Pages = [.. first] } };
        }
        var assignee = ticket.Kind switch
        {
            "hazard_report" => people.Staff(ticket.CommunityId).FirstOrDefault(p => p.Title == "安全员"),
            "mediation" => people.Staff(ticket.CommunityId).FirstOrDefault(p => p.Has(Role.Mediator)),
            _ => null,
        };
        if (assignee is null) return ticket;
        var routed = new TicketEvent(now, TicketStatus.Assigned, SystemActor, $"→ {assignee.Title} {assignee.Name}");
        return ticket with
        {
            AssigneeId = assignee.Id,
            Status = TicketStatus.Assigned,
            History = [.. ticket.History, routed],
        };
    }

    /// <summary>The ticket with this number, in whichever community: callers check it is the asker's.</summary>
    public Ticket? Find(string number) => store.FindByNumber(number);

    public Ticket? Find(string communityId, string number) => store.Find(communityId, number);

    public IReadOnlyList<Ticket> List(string communityId, TicketFilter filter, int skip, int take)
    {
        var place = filter.Building is { } building ? people.Building(communityId, building) : null;
        var query = new TicketQuery(filter.Kind, filter.Status, filter.Urgency, filter.AssigneeId, filter.OpenOnly,
            place);
        return store.Queue(communityId, query, skip, take);
    }

    /// <summary>Tickets of the caller's community changed after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<Ticket> ChangedSince(string communityId, DateTimeOffset since) =>
        store.ChangedSince(communityId, since);

    /// <summary>
    /// The resident's latest emergency, if raised in this conversation within the last half hour and still open.
    /// </summary>
    public Ticket? RecentEmergency(string channelId, string userId) =>
        store.LatestEmergency(channelId, userId, time.GetUtcNow().AddMinutes(-30));

    /// <summary>A resident's tickets still being handled: those they reported, and those of their flat.</summary>
    public List<Ticket> OpenFor(string channelId, string userId, string? unitId) =>
        [.. store.OpenOf(channelId, userId, unitId).Where(t => t.Kind != "human_handoff")];

    /// <summary>
    /// The resident answered what staff asked: their words go on the ticket and its clock runs again.
    /// </summary>
    public Ticket? ResidentAnswered(string number, string text) => writer.Change(number, ticket =>
    {
        var now = time.GetUtcNow();
        var answered = ticket with { Messages = [.. ticket.Messages, new TicketMessage(now, ResidentActor, text)] };
        if (ticket.Status != TicketStatus.WaitingOnResident) return answered;
        var resumed = new TicketEvent(now, TicketStatus.InProgress, ResidentActor, "answered");
        return answered with { Status = TicketStatus.InProgress, History = [.. ticket.History, resumed] };
    })?.After;

    /// <summary>
    /// A line of the conversation while a person has it (no new version: see <see cref="TicketWriter"/>).
    /// </summary>
    public Ticket? AppendMessage(string number, TicketMessage message) => writer.AppendMessage(number, message);

    /// <summary>Photos the resident sent after the ticket was logged.</summary>
    public Ticket? AddAttachments(string number, IEnumerable<string> urls)
    {
        var added = urls.ToList();
        return writer.Change(number, ticket => ticket with
        {
            Attachments = [.. ticket.Attachments, .. added.Where(u => !ticket.Attachments.Contains(u))],
        })?.After;
    }

    /// <summary>
    /// The resident says it is not an emergency after all ("不是紧急情况"): the emergency is closed, its paging
    /// stops, and the duty officer's console shows why. The resident is not told of the closing: they asked for it.
    /// Null when staff have taken it up meanwhile (it stands).
    /// </summary>
    public Ticket? StandDown(string number, string note)
    {
        var write = writer.Change(number, ticket =>
            ticket is { Kind: "emergency", Status: TicketStatus.New or TicketStatus.Assigned }
                ? ticket with
                {
                    Status = TicketStatus.Closed,
                    History = [.. ticket.History, new(time.GetUtcNow(), TicketStatus.Closed, ResidentActor, note)],
                }
                : null);
        if (write is not { Saved: true }) return null;
        logger.LogInformation("Emergency {Number} stood down by the resident", number);
        return write.After;
    }

    /// <summary>Where an emergency is, once the resident has said.</summary>
    public void Locate(string number, string location) =>
        writer.Change(number, ticket => ticket with { Location = location });

    /// <summary>The resident's rating after resolution; "not fixed" reopens the ticket instead.</summary>
    public Ticket Rate(string number, int rating, string? comment) => (writer.Change(number, ticket => ticket with
    {
        Rating = Math.Clamp(rating, 1, 5),
        RatingComment = string.IsNullOrWhiteSpace(comment) ? null : comment,
    }) ?? throw NotFound(number)).After;

    public Ticket Reopen(string number, string? comment) => (writer.Change(number, ticket =>
        TicketTransitions.CanGo(ticket.Status, TicketStatus.Reopened)
            ? ticket with
            {
                Status = TicketStatus.Reopened,
                History = [.. ticket.History, new(time.GetUtcNow(), TicketStatus.Reopened, ResidentActor, comment)],
            }
            : null) ?? throw NotFound(number)).After;

    /// <summary>The answer for a ticket that is not there, as the staff API gives it.</summary>
    public static DomainProblem NotFound(string number) =>
        DomainProblem.NotFound("tickets.not_found", new { number });
}
