using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;
using Linli.Storage;
using static Linli.Mediation.MediationRules;

namespace Linli.Mediation;

/// <summary>
/// Running a case: its mediator, sessions, the agreement, the decision (once) and the return visit after it. Every
/// change is one write with its audit entry, made from the version of the case it was worked out on.
/// </summary>
public sealed class MediationCasework(IMediationStore store, MediationService cases, IPeopleStore people,
    TimeProvider time)
{
    /// <summary>
    /// A manager assigns (or changes) the mediator; a mediator may take an unassigned case they can see.
    /// </summary>
    public MediationCase AssignMediator(ClaimsPrincipal user, string communityId, string number, string? personId) =>
        Change(user, communityId, number, "mediation.mediator", (c, access) =>
        {
            var takesIt = c.MediatorId is null && personId == user.PersonId() && user.Is(Role.Mediator);
            if (access != CaseAccess.Manager && !takesIt)
                throw DomainProblem.Forbidden("mediation.manager_assigns");
            MustBeOpen(c);
            var mediator = personId is { Length: > 0 } ? people.Find(communityId, personId) : null;
            if (mediator is null || !mediator.Has(Role.Mediator))
                throw Invalid("personId", "mediation.choose_mediator");
            return (c with { MediatorId = mediator.Id }, mediator.Id);
        });

    public MediationCase AddSession(ClaimsPrincipal user, string communityId, string number, SessionInput input) =>
        Change(user, communityId, number, "mediation.session", (c, access) =>
        {
            MustRun(access);
            MustBeOpen(c);
            var at = input.At ?? throw Invalid("at", "mediation.session_time");
            var place = Required(input.Place, "place", MaxShort);
            var attendees = (input.Attendees ?? [])
                .Select((a, i) => Required(a, $"attendees[{i}]", MaxShort))
                .ToList();
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
            var outcome = input.Outcome ?? throw Invalid("outcome", "mediation.outcome_needed");
            var withdraws = outcome == CaseOutcome.Withdrawn && access == CaseAccess.Party
                && c.Parties.Any(p => p.Role == PartyRole.Applicant && p.PersonId == user.PersonId());
            if (!withdraws) MustRun(access);
            MustBeOpen(c);
            if (outcome == CaseOutcome.Settled && c.Agreement is null)
                throw DomainProblem.Conflict("mediation.no_agreement_recorded");
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
                throw DomainProblem.Conflict("mediation.not_decided");
            if (c.FollowUp?.DoneAt is { } done)
                throw DomainProblem.Conflict("mediation.follow_up_done", new { on = Local(done) });
            var due = input.Due ?? c.FollowUp?.Due
                ?? throw Invalid("due", "mediation.due_needed");
            if (due < DateOnly.FromDateTime(Local(decision.At).DateTime))
                throw Invalid("due", "mediation.due_before_decision");
            var at = input.Done == true ? time.GetUtcNow() : (DateTimeOffset?)null;
            var followUp = new FollowUp(due, at, Optional(input.Note, "note", MaxText) ?? c.FollowUp?.Note);
            return (c with { FollowUp = followUp }, at is null ? $"due {due:yyyy-MM-dd}" : "done");
        });

    /// <summary>
    /// Reads, changes and writes a case with its audit entry. When someone else's change lands in between,
    /// <paramref name="change"/> runs again on the case as they left it, its rules checked anew.
    /// </summary>
    private MediationCase Change(ClaimsPrincipal user, string communityId, string number, string action,
        Func<MediationCase, CaseAccess, (MediationCase Changed, string Detail)> change)
    {
        return Optimistic.Retry<MediationCase>(() =>
        {
            var (found, access) = cases.Visible(user, communityId, number);
            var (changed, detail) = change(found, access);
            var at = time.GetUtcNow();
            var saved = changed with { Version = found.Version + 1, UpdatedAt = at };
            if (store.TryUpdate(saved, found.Version, Audit(user, action, number, detail, at))) return saved;
            return Optimistic.Lost;
        }, () => DomainProblem.Conflict("mediation.changed_meanwhile", new { number }));
    }
}
