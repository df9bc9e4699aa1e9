using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Communities;
using Linli.Fees;
using Linli.Hosting;
using Linli.People;
using Linli.Storage.LiteDb;
using Linli.Storage;

namespace Linli.PublicRevenue;

/// <summary>
/// The owners audit the ledger (业账社审): the committee and the owners it appoints sign closed months off, or
/// object to a line, which the office answers in writing.
/// </summary>
public sealed class RevenueAudit(IRevenueStore store, LinliDatabase db, TimeProvider time, AuditTrail audit)
{
    /// <summary>The committee's members, and the owners it appointed.</summary>
    public bool IsAuditor(ClaimsPrincipal user, string communityId) =>
        user.BelongsTo(communityId)
        && (user.Is(Role.Committee) || user.PersonId() is { } me && store.IsAuditor(communityId, me));

    public Auditor Appoint(ClaimsPrincipal user, string communityId, AppointRequest request)
    {
        user.MustBelongTo(communityId);
        if (!user.Is(Role.Committee))
            throw DomainProblem.Forbidden("The committee appoints", "Owner auditors are chosen by the committee.");
        var unit = FlatNamed(communityId, request.Flat)
            ?? throw DomainProblem.Bad("No such flat", "Name the owner's flat, e.g. 3栋502.");
        var owners = OwnersOf(communityId, unit);
        var owner = owners.Count == 1 ? owners[0] : owners.FirstOrDefault(o => o.Name == request.Name?.Trim())
            ?? throw DomainProblem.Bad("Which owner?",
                $"{unit.Label} has {owners.Count} owners; give the owner's name.");
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
            throw DomainProblem.Conflict("Not closed", $"{period} is signed once the office closes it.");
        if (store.Objections(communityId, period).Any(o => o.Answer is null))
            throw DomainProblem.Conflict("Objections unanswered",
                $"{period} has objections the office has not answered yet.");
        var signOff = new SignOff
        {
            Id = $"{MonthClose.IdFor(communityId, period)}/{user.PersonId()}", CommunityId = communityId,
            Period = period, PersonId = user.PersonId()!, Name = user.DisplayName(), Note = RevenueRules.Note(note),
            At = time.GetUtcNow(),
        };
        if (!store.TryAddSignOff(signOff))
            throw DomainProblem.Conflict("Signed", $"You signed {period} already.");
        audit.Record(user, "revenue.sign", $"{period}", signOff.Note);
        return signOff;
    }

    public Objection Object(ClaimsPrincipal user, string communityId, int lineNumber, string? text)
    {
        MustAudit(user, communityId);
        var line = store.FindLine(communityId, lineNumber)
            ?? throw DomainProblem.NotFound("No such line", $"There is no line {lineNumber} in the ledger.");
        if (store.FindClose(communityId, line.Period) is null)
            throw DomainProblem.Conflict("Not closed", "Lines are audited once their month is closed.");
        var objection = store.AddObjection(new Objection
        {
            CommunityId = communityId, Period = line.Period, LineNumber = lineNumber, PersonId = user.PersonId()!,
            Name = user.DisplayName(), Text = RevenueRules.Text(text, "text", "Say what is wrong with the line."),
            At = time.GetUtcNow(),
        });
        audit.Record(user, "revenue.object", $"{lineNumber}", objection.Text);
        return objection;
    }

    /// <summary>The office answers an objection, once and in writing.</summary>
    public Objection Answer(ClaimsPrincipal user, string communityId, int objectionId, string? text)
    {
        user.MustServe(communityId);
        var answer = RevenueRules.Text(text, "text", "Answer the objection in writing.");
        var objection = store.FindObjection(communityId, objectionId)
            ?? throw DomainProblem.NotFound("No such objection", $"No objection {objectionId} here.");
        var answered = objection with
        {
            Answer = answer, AnsweredBy = user.DisplayName(), AnsweredAt = time.GetUtcNow(),
        };
        if (objection.Answer is not null || !store.TryAnswer(answered))
            throw DomainProblem.Conflict("Answered", "This objection has its answer.");
        audit.Record(user, "revenue.answer", $"objection {objectionId}", answer);
        return answered;
    }

    private void MustAudit(ClaimsPrincipal user, string communityId)
    {
        user.MustBelongTo(communityId);
        if (!IsAuditor(user, communityId))
            throw DomainProblem.Forbidden("Auditors only",
                "The committee and the owners it appointed audit the accounts.");
    }

    /// <summary>The flat written as the tea table writes it, e.g. 3栋502.</summary>
    private Unit? FlatNamed(string communityId, string? flat) =>
        db.Units.FindOne(u => u.CommunityId == communityId && u.BuildingNumber + "栋" + u.Room == (flat ?? "").Trim());

    /// <summary>The people who own or co-own the flat; organisations never audit.</summary>
    private List<Person> OwnersOf(string communityId, Unit unit) =>
        db.People.Find(p => p.CommunityId == communityId)
            .Where(p => !p.IsOrganization && p.Units.Any(b =>
                b.UnitId == unit.Id && b.Relation is UnitRelation.Owner or UnitRelation.CoOwner))
            .ToList();
}
