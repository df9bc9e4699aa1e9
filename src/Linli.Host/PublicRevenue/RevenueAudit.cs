using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Communities;
using Linli.Hosting;
using Linli.People;

namespace Linli.PublicRevenue;

/// <summary>
/// The owners audit the ledger (业账社审): the committee and the owners it appoints sign closed months off, or
/// object to a line, which the office answers in writing.
/// </summary>
public sealed class RevenueAudit(IRevenueStore store, ICommunityStore communities, IPeopleStore people,
    TimeProvider time, AuditTrail audit)
{
    /// <summary>The committee's members, and the owners it appointed.</summary>
    public bool IsAuditor(ClaimsPrincipal user, string communityId) =>
        user.BelongsTo(communityId)
        && (user.Is(Role.Committee) || user.PersonId() is { } me && store.IsAuditor(communityId, me));

    public Auditor Appoint(ClaimsPrincipal user, string communityId, AppointRequest request)
    {
        user.MustBelongTo(communityId);
        if (!user.Is(Role.Committee))
            throw DomainProblem.Forbidden("revenue.the_committee_appoints");
        var unit = communities.FindFlat(communityId, request.Flat)
            ?? throw DomainProblem.Bad("revenue.no_such_flat");
        var owners = OwnersOf(communityId, unit);
        var owner = owners.Count == 1 ? owners[0] : owners.FirstOrDefault(o => o.Name == request.Name?.Trim())
            ?? throw DomainProblem.Bad("revenue.which_owner", new { label = unit.Label, count = owners.Count });
        var auditor = new Auditor
        {
            Id = Auditor.KeyFor(communityId, owner.Id), CommunityId = communityId, PersonId = owner.Id,
            Name = owner.Name, AppointedBy = user.DisplayName(), At = time.GetUtcNow(),
        };
        store.SaveAuditor(auditor);
        audit.Record(user, "revenue.appoint", unit.Label, NameMask.Mask(owner.Name));
        return auditor;
    }

    public IReadOnlyList<Auditor> Auditors(string communityId) => store.Auditors(communityId);

    public SignOff SignOff(ClaimsPrincipal user, string communityId, Period period, string? note)
    {
        MustAudit(user, communityId);
        if (store.FindClose(communityId, period) is null)
            throw DomainProblem.Conflict("revenue.sign_not_closed", new { period });
        if (store.Objections(communityId, period).Any(o => o.Answer is null))
            throw DomainProblem.Conflict("revenue.objections_unanswered", new { period });
        var signOff = new SignOff
        {
            Id = $"{MonthClose.IdFor(communityId, period)}/{user.PersonId()}", CommunityId = communityId,
            Period = period, PersonId = user.PersonId()!, Name = user.DisplayName(), Note = RevenueRules.Note(note),
            At = time.GetUtcNow(),
        };
        if (!store.TryAddSignOff(signOff))
            throw DomainProblem.Conflict("revenue.signed", new { period });
        audit.Record(user, "revenue.sign", $"{period}", signOff.Note);
        return signOff;
    }

    public Objection Object(ClaimsPrincipal user, string communityId, int lineNumber, string? text)
    {
        MustAudit(user, communityId);
        var line = store.FindLine(communityId, lineNumber)
            ?? throw DomainProblem.NotFound("revenue.no_such_line_number", new { lineNumber });
        if (store.FindClose(communityId, line.Period) is null)
            throw DomainProblem.Conflict("revenue.audit_not_closed");
        var objection = store.AddObjection(new Objection
        {
            CommunityId = communityId, Period = line.Period, LineNumber = lineNumber, PersonId = user.PersonId()!,
            Name = user.DisplayName(), Text = RevenueRules.Text(text, "revenue.objection_needed"),
            At = time.GetUtcNow(),
        });
        audit.Record(user, "revenue.object", $"{lineNumber}", objection.Text);
        return objection;
    }

    /// <summary>The office answers an objection, once and in writing.</summary>
    public Objection Answer(ClaimsPrincipal user, string communityId, int objectionId, string? text)
    {
        user.MustServe(communityId);
        var answer = RevenueRules.Text(text, "revenue.answer_needed");
        var objection = store.FindObjection(communityId, objectionId)
            ?? throw DomainProblem.NotFound("revenue.no_such_objection", new { objectionId });
        var answered = objection with
        {
            Answer = answer,
            AnsweredBy = user.DisplayName(),
            AnsweredAt = time.GetUtcNow(),
        };
        if (objection.Answer is not null || !store.TryAnswer(answered))
            throw DomainProblem.Conflict("revenue.answered");
        audit.Record(user, "revenue.answer", $"objection {objectionId}", answer);
        return answered;
    }

    private void MustAudit(ClaimsPrincipal user, string communityId)
    {
        user.MustBelongTo(communityId);
        if (!IsAuditor(user, communityId))
            throw DomainProblem.Forbidden("revenue.auditors_only");
    }

    /// <summary>The people who own or co-own the flat; organisations never audit.</summary>
    private List<Person> OwnersOf(string communityId, Unit unit) =>
        people.OfUnit(communityId, unit.Id)
            .Where(p => !p.IsOrganization && p.Units.Any(b =>
                b.UnitId == unit.Id && b.Relation is UnitRelation.Owner or UnitRelation.CoOwner))
            .ToList();
}
