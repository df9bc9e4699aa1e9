using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;
using Linli.Residents;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tickets;
using static Linli.Mediation.MediationRules;

namespace Linli.Mediation;

/// <summary>
/// How a case comes in: at the office (from a complaint ticket, or with its parties), or from a resident who asks
/// for mediation in the chat or on the web. Each is numbered TJ-{year}-{n}, per community and China year, and
/// opened with its audit entry in one write.
/// </summary>
public sealed class MediationIntake(IMediationStore store, LinliDatabase db, ResidentDirectory residents,
    TicketService tickets, TimeProvider time)
{
    /// <summary>
    /// At the office: from a complaint ticket (its reporter the applicant), or with the parties given.
    /// </summary>
    public MediationCase Open(ClaimsPrincipal user, string communityId, OpenCase request)
    {
        if (!user.Serves(communityId))
            throw DomainProblem.Forbidden("Not your community",
                $"您不是小区 '{communityId}' 的工作人员。You are not staff of community '{communityId}'.");
        var wanted = request.TicketNumber?.Trim();
        var ticket = wanted is { Length: > 0 } ? tickets.Find(wanted) : null;
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
            throw DomainProblem.Bad("Unknown resident", "找不到这位住户。No such resident of this flat.");
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
                    $"本小区没有另一方的房号 '{otherFlat}'。"
                    + $"'{otherFlat}' is not another flat of this community.");
            parties.Add(new Party { Flat = other.Label, Role = PartyRole.Respondent });
        }
        return Insert(AuthApi.ResidentPrincipal(person, communityId, unitId), new MediationCase
        {
            Id = "", Number = "", CommunityId = communityId, Subject = Required(subject, "subject", MaxSubject),
            Kind = KindOf(kind), Source = from, Text = Optional(text, "text", MaxText), Parties = parties,
            OpenedAt = time.GetUtcNow(), OpenedBy = personId, TicketNumber = ticketNumber,
        });
    }

    /// <summary>Numbers and adds the case with its audit entry; a complaint ticket has one case at most.</summary>
    private MediationCase Insert(ClaimsPrincipal user, MediationCase draft)
    {
        var origin = draft.TicketNumber is { } t ? $"{draft.Source} {t}" : $"{draft.Source}";
        // The store names the case's number as the entry's target.
        var audit = Audit(user, "mediation.open", "", $"{origin}, {draft.Kind}", time.GetUtcNow());
        return store.Open(draft with { UpdatedAt = draft.OpenedAt }, audit)
            ?? throw DomainProblem.Conflict("Already a case",
                $"工单 {draft.TicketNumber} 已有调解案件。"
                + $"Ticket {draft.TicketNumber} already has a mediation case.");
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
}
