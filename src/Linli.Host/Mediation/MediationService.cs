using System.Globalization;
using System.Security.Claims;
using LiteDB;
using Linli.Accounts;
using Linli.Fees;
using Linli.People;
using Linli.Residents;
using Linli.Storage;

namespace Linli.Mediation;

/// <param name="Role">Applicant by default.</param>
public sealed record PartyInput(string? PersonId, string? Name, string? Flat, PartyRole? Role, string? Phone);

/// <param name="TicketNumber">The complaint it comes from: its reporter becomes the applicant.</param>
public sealed record OpenCase(string? TicketNumber, string? Subject, string? Kind, string? Text, PartyInput[]? Parties);

public sealed record MediatorChoice(string? PersonId);

public sealed record SessionInput(DateTimeOffset? At, string? Place, string[]? Attendees, string? Notes);

public sealed record AgreementInput(string? Text);

/// <param name="ReferredTo">Required for Referred: "思明区人民法院".</param>
public sealed record OutcomeInput(CaseOutcome? Outcome, string? ReferredTo, string? Note);

/// <param name="Done">True records the visit as made now.</param>
public sealed record FollowUpInput(DateOnly? Due, bool? Done, string? Note);

/// <summary>Why the caller sees a case, which decides what they see and may do.</summary>
public enum CaseAccess { Manager, Mediator, Party, Opener }

public sealed record PartyView(string? PersonId, string Name, string? Flat, PartyRole Role, string? Phone);

public sealed record SessionView(DateTimeOffset At, string Place, string[] Attendees, string? Notes);

public sealed record CaseView(string Number, string Subject, DisputeKind Kind, string KindLabel, CaseSource Source,
    string? TicketNumber, string? Text, PartyView[] Parties, string? MediatorId, string? Mediator,
    SessionView[] Sessions, string? Agreement, Decision? Decision, FollowUp? FollowUp, DateTimeOffset OpenedAt,
    CaseAccess Access, int Version);

/// <summary>
/// Neighbour disputes before the community's mediation team (人民调解). A case is seen by its parties, its mediator,
/// and the community's managers and admins; the member of staff who opened it sees it too, with the parties' names
/// masked. To anyone else it does not exist (404). Every change is one transaction with its audit entry.
/// </summary>
public sealed class MediationService(LinliDatabase db, ResidentDirectory residents, AuditTrail audit, TimeProvider time)
{
    public const int MaxSubject = 60;
    public const int MaxText = 4000;
    private const int MaxShort = 100;
    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);
    private readonly Lock _writes = new();

    /// <summary>What residents and staff call each kind; the first is its label.</summary>
    private static readonly Dictionary<DisputeKind, string[]> KindWords = new()
    {
        [DisputeKind.Noise] = ["噪音扰民", "噪音", "扰民"],
        [DisputeKind.Leak] = ["漏水渗水", "漏水", "渗水"],
        [DisputeKind.Parking] = ["停车纠纷", "停车", "车位"],
        [DisputeKind.Pets] = ["宠物", "养狗", "养猫"],
        [DisputeKind.Fees] = ["物业费用", "物业费", "费用"],
        [DisputeKind.PropertyService] = ["物业服务"],
        [DisputeKind.Other] = ["其他"],
    };

    /// <summary>At the office: from a complaint ticket (its reporter the applicant), or with the parties given.
    /// </summary>
    public MediationCase Open(ClaimsPrincipal user, string communityId, OpenCase request)
    {
        if (!user.Serves(communityId))
            throw new MediationException(403, "Not your community",
                $"您不是小区 '{communityId}' 的工作人员。You are not staff of community '{communityId}'.");
        var wanted = request.TicketNumber?.Trim();
        var ticket = wanted is { Length: > 0 } ? db.Tickets.FindOne(t => t.Number == wanted) : null;
        if (wanted is { Length: > 0 } && ticket?.CommunityId != communityId)
            throw Invalid("ticketNumber", $"本小区没有工单 {wanted}。No ticket {wanted} in this community.");

        var parties = (request.Parties ?? []).Select((p, i) => PartyFrom(communityId, p, $"parties[{i}]")).ToList();
        if (ticket?.Reporter.PersonId is { } reporter && db.People.FindById(reporter) is { } person
            && parties.All(p => p.PersonId != reporter))
            parties.Insert(0, Applicant(person, ticket.UnitId));
        if (parties.All(p => p.Role != PartyRole.Applicant))
            throw Invalid("parties", "至少需要一位申请人。At least one party is the applicant.");

        var subject = request.Subject is { Length: > 0 } ? request.Subject : Shorten(ticket?.Text);
        return Insert(user, new MediationCase
        {
            Id = "", Number = "", CommunityId = communityId, Subject = Required(subject, "subject", MaxSubject),
            Kind = KindOf(request.Kind), Source = ticket is null ? CaseSource.Office : CaseSource.Complaint,
            TicketNumber = ticket?.Number, Text = Optional(request.Text ?? ticket?.Text, "text", MaxText),
            Parties = parties, OpenedAt = time.GetUtcNow(), OpenedBy = user.PersonId() ?? "",
        });
    }

    /// <summary>
    /// A resident asks for mediation themselves (申请调解), in the chat or on the web (<paramref name="source"/>
    /// "chat" or "web"). The other side may be named by their flat only; the mediator finds out who they are.
    /// </summary>
    public MediationCase Apply(string communityId, string personId, string unitId, string subject, string kind,
        string? otherFlat, string source, string? text = null, string? ticketNumber = null)
    {
        var person = db.People.FindById(personId);
        if (person is null || person.CommunityId != communityId || person.Units.All(b => b.UnitId != unitId))
            throw new MediationException(400, "Unknown resident", "找不到这位住户。No such resident of this flat.");
        var from = source.ToLowerInvariant() switch
        {
            "chat" => CaseSource.Chat,
            "web" => CaseSource.Web,
            _ => throw Invalid("source", "来源为 chat 或 web。The source is chat or web."),
        };
        var parties = new List<Party> { Applicant(person, unitId) };
        if (otherFlat is { Length: > 0 })
        {
            var other = residents.FindUnit(otherFlat.Trim(), communityId);
            if (other is null || other.Id == unitId)
                throw Invalid("otherFlat",
                    $"本小区没有另一方的房号 '{otherFlat}'。'{otherFlat}' is not another flat of this community.");
            parties.Add(new Party { Flat = other.Label, Role = PartyRole.Respondent });
        }
        return Insert(AuthApi.ResidentPrincipal(person, communityId, unitId), new MediationCase
        {
            Id = "", Number = "", CommunityId = communityId, Subject = Required(subject, "subject", MaxSubject),
            Kind = KindOf(kind), Source = from, Text = Optional(text, "text", MaxText), Parties = parties,
            OpenedAt = time.GetUtcNow(), OpenedBy = personId, TicketNumber = ticketNumber,
        });
    }

    /// <summary>The cases <paramref name="user"/> may see in their community, open ones first, newest first.</summary>
    public List<MediationCase> VisibleTo(ClaimsPrincipal user, string communityId)
    {
        if (user.CommunityId() != communityId)
            throw NotMember(communityId);
        return [.. db.MediationCases.Find(c => c.CommunityId == communityId).Where(c => AccessOf(c, user) is not null)
            .OrderBy(c => c.Decision is not null).ThenByDescending(c => c.OpenedAt)];
    }

    /// <summary>The cases a person is a party to: what the chat tells a resident who asks about theirs.</summary>
    public List<MediationCase> ForPerson(string communityId, string personId) =>
        [.. db.MediationCases.Find(Query.Any().EQ("$.Parties[*].PersonId", personId))
            .Where(c => c.CommunityId == communityId).OrderByDescending(c => c.OpenedAt)];

    public MediationCase Get(ClaimsPrincipal user, string communityId, string number) =>
        Visible(user, communityId, number).Case;

    /// <summary>
    /// A manager assigns (or changes) the mediator; a mediator may take an unassigned case they can see.
    /// </summary>
    public MediationCase AssignMediator(ClaimsPrincipal user, string communityId, string number, string? personId) =>
        Change(user, communityId, number, "mediation.mediator", (c, access) =>
        {
            var takesIt = c.MediatorId is null && personId == user.PersonId() && user.Is(Role.Mediator);
            if (access != CaseAccess.Manager && !takesIt)
                throw new MediationException(403, "Only a manager assigns mediators",
                    "只有物业经理或管理员可以指派调解员。Only a manager or admin assigns the mediator.");
            MustBeOpen(c);
            var mediator = personId is { Length: > 0 } ? db.People.FindById(personId) : null;
            if (mediator is null || mediator.CommunityId != communityId || !mediator.Has(Role.Mediator))
                throw Invalid("personId", "请选择本小区的一位调解员。Choose a mediator of this community.");
            return (c with { MediatorId = mediator.Id }, mediator.Id);
        });

    public MediationCase AddSession(ClaimsPrincipal user, string communityId, string number, SessionInput input) =>
        Change(user, communityId, number, "mediation.session", (c, access) =>
        {
            MustRun(access);
            MustBeOpen(c);
            var at = input.At ?? throw Invalid("at", "请填写调解时间。When the session is (or was) held.");
            var place = Required(input.Place, "place", MaxShort);
            var attendees = (input.Attendees ?? []).Select((a, i) => Required(a, $"attendees[{i}]", MaxShort)).ToList();
            var notes = Optional(input.Notes, "notes", MaxText);
            var session = new Session(at, place, attendees, notes, user.PersonId() ?? "");
            return (c with { Sessions = [.. c.Sessions, session] }, $"{Local(at):yyyy-MM-dd HH:mm} {place}");
        });

    /// <summary>The agreement as the parties will sign it; it may be rewritten until the case is decided.</summary>
    public MediationCase RecordAgreement(ClaimsPrincipal user, string communityId, string number, string? text) =>
        Change(user, communityId, number, "mediation.agreement", (c, access) =>
        {
            MustRun(access);
            MustBeOpen(c);
            var agreement = Required(text, "text", MaxText);
            return (c with { Agreement = agreement }, $"{agreement.Length} characters");
        });

    /// <summary>
    /// Settled needs an agreement; an applicant may withdraw their own application. A case is decided once.
    /// </summary>
    public MediationCase Decide(ClaimsPrincipal user, string communityId, string number, OutcomeInput input) =>
        Change(user, communityId, number, "mediation.outcome", (c, access) =>
        {
            var outcome = input.Outcome ?? throw Invalid("outcome",
                "结果为 Settled、Failed、Referred 或 Withdrawn。The outcome is Settled, Failed, Referred or Withdrawn.");
            var withdraws = outcome == CaseOutcome.Withdrawn && access == CaseAccess.Party
                && c.Parties.Any(p => p.Role == PartyRole.Applicant && p.PersonId == user.PersonId());
            if (!withdraws) MustRun(access);
            MustBeOpen(c);
            if (outcome == CaseOutcome.Settled && c.Agreement is null)
                throw new MediationException(409, "No agreement recorded",
                    "调解成功须先记录调解协议。Record the agreement before deciding the case settled.");
            var referredTo =
                outcome == CaseOutcome.Referred ? Required(input.ReferredTo, "referredTo", MaxShort) : null;
            var note = Optional(input.Note, "note", MaxText);
            var decision = new Decision(outcome, time.GetUtcNow(), user.PersonId() ?? "", referredTo, note);
            return (c with { Decision = decision }, referredTo is null ? $"{outcome}" : $"{outcome}: {referredTo}");
        });

    /// <summary>
    /// The return visit after a decision (not after a withdrawal): planned with a due date, then done once.
    /// </summary>
    public MediationCase FollowUp(ClaimsPrincipal user, string communityId, string number, FollowUpInput input) =>
        Change(user, communityId, number, "mediation.followup", (c, access) =>
        {
            MustRun(access);
            if (c.Decision is not { Outcome: not CaseOutcome.Withdrawn } decision)
                throw new MediationException(409, "Not decided",
                    "结案后才安排回访。A follow-up visit comes after the case is decided.");
            if (c.FollowUp?.DoneAt is { } done)
                throw new MediationException(409, "Follow-up already done",
                    $"已于 {Local(done):yyyy-MM-dd} 回访。The visit was made on {Local(done):yyyy-MM-dd}.");
            var due = input.Due ?? c.FollowUp?.Due ?? throw Invalid("due", "请填写回访日期。When the visit is due.");
            if (due < DateOnly.FromDateTime(Local(decision.At).DateTime))
                throw Invalid("due", "回访日期不能早于结案日期。The visit cannot be due before the decision.");
            var at = input.Done == true ? time.GetUtcNow() : (DateTimeOffset?)null;
            var followUp = new FollowUp(due, at, Optional(input.Note, "note", MaxText) ?? c.FollowUp?.Note);
            return (c with { FollowUp = followUp }, at is null ? $"due {due:yyyy-MM-dd}" : "done");
        });

    /// <summary>
    /// Per month: cases opened, and cases decided by outcome. The settled rate is settled ÷ (settled + failed +
    /// referred): a withdrawn application was never mediated to an end, so it counts in neither part. Months are
    /// China time.
    /// </summary>
    public List<MonthlyMediation> Monthly(string communityId, Period from, Period to)
    {
        var cases = db.MediationCases.Find(c => c.CommunityId == communityId).ToList();
        var opened = cases.CountBy(c => MonthOf(c.OpenedAt)).ToDictionary();
        var decided = cases.Select(c => c.Decision).OfType<Decision>().CountBy(d => (MonthOf(d.At), d.Outcome))
            .ToDictionary();
        var months = new List<MonthlyMediation>();
        for (var month = from; month <= to; month = month.AddMonths(1))
        {
            var m = month;
            int Count(CaseOutcome outcome) => decided.GetValueOrDefault((m, outcome));
            var (settled, failed, referred) =
                (Count(CaseOutcome.Settled), Count(CaseOutcome.Failed), Count(CaseOutcome.Referred));
            var concluded = settled + failed + referred;
            months.Add(new MonthlyMediation(m, opened.GetValueOrDefault(m), settled, failed, referred,
                Count(CaseOutcome.Withdrawn), concluded == 0 ? null : Math.Round((decimal)settled / concluded, 4)));
        }
        return months;
    }

    /// <summary>
    /// The case as <paramref name="user"/> may see it. Names whole to the parties, the mediator and managers; masked
    /// ("李**") to the member of staff who only opened it, who sees no agreement either. A property company is an
    /// organisation and keeps its name. Phones only masked, and session notes, only to the mediator and managers.
    /// </summary>
    public CaseView View(MediationCase c, ClaimsPrincipal user)
    {
        var access = AccessOf(c, user) ?? throw NotFound(c.Number);
        var whole = access != CaseAccess.Opener;
        var runs = access is CaseAccess.Manager or CaseAccess.Mediator;
        string Name(string name) => whole ? name : NameMask.Mask(name);
        PartyView Show(Party p)
        {
            var phone = p.Phone ?? (p.PersonId is null ? null : db.People.FindById(p.PersonId)?.Phone);
            var name = p.Name is null ? $"{p.Flat}住户" : p.Role == PartyRole.PropertyCompany ? p.Name : Name(p.Name);
            var shown = runs && phone is { Length: > 0 } ? PhoneMask.Mask(phone) : null;
            return new PartyView(whole ? p.PersonId : null, name, p.Flat, p.Role, shown);
        }
        SessionView Held(Session s) => new(s.At, s.Place, [.. s.Attendees.Select(Name)], runs ? s.Notes : null);
        var mediator = c.MediatorId is null ? null : db.People.FindById(c.MediatorId);
        return new CaseView(c.Number, c.Subject, c.Kind, KindWords[c.Kind][0], c.Source, c.TicketNumber, c.Text,
            [.. c.Parties.Select(Show)], c.MediatorId,
            mediator is null ? null : $"{mediator.Title} {mediator.Name}".Trim(),
            [.. c.Sessions.OrderBy(s => s.At).Select(Held)], whole ? c.Agreement : null, c.Decision, c.FollowUp,
            c.OpenedAt, access, c.Version);
    }

    public CaseAccess? AccessOf(MediationCase c, ClaimsPrincipal user)
    {
        if (user.CommunityId() != c.CommunityId) return null;
        if (user.Is(Role.Manager) || user.Is(Role.Admin)) return CaseAccess.Manager;
        var me = user.PersonId();
        if (me is not { Length: > 0 }) return null;
        if (c.MediatorId == me && user.Is(Role.Mediator)) return CaseAccess.Mediator;
        if (c.Parties.Any(p => p.PersonId == me)) return CaseAccess.Party;
        return c.OpenedBy == me && user.Serves(c.CommunityId) ? CaseAccess.Opener : null;
    }

    private (MediationCase Case, CaseAccess Access) Visible(ClaimsPrincipal user, string communityId, string number) =>
        db.MediationCases.FindById($"{communityId}/{number}") is { } found && AccessOf(found, user) is { } access
            ? (found, access)
            : throw NotFound(number);

    private MediationCase Insert(ClaimsPrincipal user, MediationCase draft)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                if (draft.TicketNumber is { } ticket
                    && db.MediationCases.Exists(c => c.CommunityId == draft.CommunityId && c.TicketNumber == ticket))
                    throw new MediationException(409, "Already a case",
                        $"工单 {ticket} 已有调解案件。Ticket {ticket} already has a mediation case.");
                var number = NextNumber(draft.CommunityId, draft.OpenedAt);
                var opened = draft with
                {
                    Id = $"{draft.CommunityId}/{number}", Number = number, UpdatedAt = draft.OpenedAt,
                };
                db.MediationCases.Insert(opened);
                var origin = opened.TicketNumber is { } t ? $"{opened.Source} {t}" : $"{opened.Source}";
                audit.Record(user, "mediation.open", number, $"{origin}, {opened.Kind}");
                return opened;
            });
    }

    /// <summary>Reads, changes and writes a case with its audit entry, one writer at a time.</summary>
    private MediationCase Change(ClaimsPrincipal user, string communityId, string number, string action,
        Func<MediationCase, CaseAccess, (MediationCase Changed, string Detail)> change)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                var (found, access) = Visible(user, communityId, number);
                var (changed, detail) = change(found, access);
                var saved = changed with { Version = found.Version + 1, UpdatedAt = time.GetUtcNow() };
                db.MediationCases.Update(saved);
                audit.Record(user, action, number, detail);
                return saved;
            });
    }

    /// <summary>TJ-{year}-{n}: numbered per community and year (China time), without gaps.</summary>
    private string NextNumber(string communityId, DateTimeOffset at)
    {
        var year = Local(at).Year;
        var key = $"mediation|{communityId}|{year}";
        var next = 1 + (db.Settings.FindById(key) is { } counter
            ? int.Parse(counter.Value, CultureInfo.InvariantCulture)
            : 0);
        db.Settings.Upsert(new Channels.DirectLine.SettingRecord(key, next.ToString(CultureInfo.InvariantCulture)));
        return $"TJ-{year}-{next:D4}";
    }

    private Party PartyFrom(string communityId, PartyInput input, string field)
    {
        var person = input.PersonId is { Length: > 0 } id ? db.People.FindById(id) : null;
        if (input.PersonId is { Length: > 0 } && person?.CommunityId != communityId)
            throw Invalid($"{field}.personId",
                $"本小区没有此人 '{input.PersonId}'。No person '{input.PersonId}' in this community.");
        var unit = input.Flat is { Length: > 0 } flat ? residents.FindUnit(flat.Trim(), communityId) : null;
        if (input.Flat is { Length: > 0 } && unit is null)
            throw Invalid($"{field}.flat",
                $"本小区没有房号 '{input.Flat}'。No flat '{input.Flat}' in this community.");
        var name = Optional(input.Name, $"{field}.name", MaxShort) ?? person?.Name;
        if (name is null && unit is null)
            throw Invalid($"{field}.name", "请填写姓名、名称或房号。A party has a name or a flat.");
        return new Party
        {
            PersonId = person?.Id, Name = name, Role = input.Role ?? PartyRole.Applicant,
            Phone = Optional(input.Phone, $"{field}.phone", 20), Flat = unit?.Label ?? FlatOf(person, null),
        };
    }

    private Party Applicant(Person person, string? unitId) =>
        new() { PersonId = person.Id, Name = person.Name, Role = PartyRole.Applicant, Flat = FlatOf(person, unitId) };

    /// <summary>The flat named, else the person's first.</summary>
    private string? FlatOf(Person? person, string? unitId) =>
        (unitId ?? person?.Units.FirstOrDefault()?.UnitId) is { } id ? db.Units.FindById(id)?.Label : null;

    private static DisputeKind KindOf(string? text)
    {
        if (text is not { Length: > 0 }) return DisputeKind.Other;
        var word = text.Trim();
        if (Enum.TryParse<DisputeKind>(word, ignoreCase: true, out var named) && Enum.IsDefined(named)
            && char.IsLetter(word[0]))
            return named;
        foreach (var (kind, words) in KindWords)
            if (words.Contains(word)) return kind;
        throw Invalid("kind", $"纠纷类型为 {string.Join("、", KindWords.Values.Select(w => w[0]))}。" +
            $"The kind is one of {string.Join(", ", Enum.GetNames<DisputeKind>())}.");
    }

    private static void MustRun(CaseAccess access)
    {
        if (access is not (CaseAccess.Manager or CaseAccess.Mediator))
            throw new MediationException(403, "Not your case to run",
                "只有本案调解员或物业经理可以操作。Only the case's mediator or a manager may do this.");
    }

    private static void MustBeOpen(MediationCase c)
    {
        if (c.Decision is { } d)
            throw new MediationException(409, "Case already decided",
                $"本案已于 {Local(d.At):yyyy-MM-dd} 结案（{d.Outcome}）。" +
                $"The case was decided ({d.Outcome}) on {Local(d.At):yyyy-MM-dd}.");
    }

    private static string Required(string? value, string field, int max) =>
        Optional(value, field, max) ?? throw Invalid(field, $"请填写 {field}。{field} is required.");

    private static string? Optional(string? value, string field, int max) =>
        value?.Trim() is not { Length: > 0 } trimmed ? null
        : trimmed.Length <= max ? trimmed
        : throw Invalid(field, $"{field} 最多 {max} 个字。{field} is at most {max} characters.");

    private static string? Shorten(string? text) =>
        text?.Trim() is { Length: > 0 } t ? t.Length <= MaxSubject ? t : t[..(MaxSubject - 1)] + "…" : null;

    private static MediationException Invalid(string field, string detail) =>
        new(400, "Invalid request", detail, field);

    public static MediationException NotMember(string communityId) => new(403, "Not your community",
        $"您不属于小区 '{communityId}'。You are not a member of community '{communityId}'.");

    private static MediationException NotFound(string number) =>
        new(404, "Case not found", $"本小区没有调解案件 {number}。No mediation case {number} in your community.");

    private static DateTimeOffset Local(DateTimeOffset at) => at.ToOffset(ChinaTime);

    private static Period MonthOf(DateTimeOffset at) => Period.Of(Local(at));
}
