using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.People;
using static Linli.Mediation.MediationRules;

namespace Linli.Mediation;

/// <summary>
/// Neighbour disputes before the community's mediation team (人民调解), as each caller may see them, and the
/// monthly figures that name nobody. A case is seen by its parties, its mediator, and the community's managers and
/// admins; the member of staff who opened it sees it too, with the parties' names masked. To anyone else it does not
/// exist (404). Cases are opened by <see cref="MediationIntake"/> and run by <see cref="MediationCasework"/>.
/// </summary>
public sealed class MediationService(IMediationStore store, IPeopleStore people)
{
    /// <summary>The cases <paramref name="user"/> may see in their community, open ones first, newest first.</summary>
    public List<MediationCase> VisibleTo(ClaimsPrincipal user, string communityId)
    {
        if (user.CommunityId() != communityId)
            throw NotMember(communityId);
        return [.. store.List(communityId).Where(c => AccessOf(c, user) is not null)
            .OrderBy(c => c.Decision is not null).ThenByDescending(c => c.OpenedAt)];
    }

    /// <summary>The cases a person is a party to: what the chat tells a resident who asks about theirs.</summary>
    public IReadOnlyList<MediationCase> ForPerson(string communityId, string personId) =>
        store.ForPerson(communityId, personId);

    public MediationCase Get(ClaimsPrincipal user, string communityId, string number) =>
        Visible(user, communityId, number).Case;

    /// <summary>A case with why <paramref name="user"/> sees it; not found when they may not.</summary>
    internal (MediationCase Case, CaseAccess Access) Visible(ClaimsPrincipal user, string communityId,
        string number) =>
        store.Find(communityId, number) is { } found && AccessOf(found, user) is { } access
            ? (found, access)
            : throw NotFound(number);

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
            var phone = p.Phone ?? (p.PersonId is null ? null : people.Find(c.CommunityId, p.PersonId)?.Phone);
            var name = p.Name is null ? $"{p.Flat}住户" : p.Role == PartyRole.PropertyCompany ? p.Name : Name(p.Name);
            var shown = runs && phone is { Length: > 0 } ? PhoneMask.Mask(phone) : null;
            return new PartyView(whole ? p.PersonId : null, name, p.Flat, p.Role, shown);
        }
        SessionView Held(Session s) => new(s.At, s.Place, [.. s.Attendees.Select(Name)], runs ? s.Notes : null);
        var mediator = c.MediatorId is null ? null : people.Find(c.CommunityId, c.MediatorId);
        return new CaseView(c.Number, c.Subject, c.Kind, KindWords[c.Kind][0], c.Source, c.TicketNumber, c.Text,
            [.. c.Parties.Select(Show)], c.MediatorId,
            mediator is null ? null : $"{mediator.Title} {mediator.Name}".Trim(),
            [.. c.Sessions.OrderBy(s => s.At).Select(Held)], whole ? c.Agreement : null, c.Decision, c.FollowUp,
            c.OpenedAt, access, c.Version);
    }

    /// <summary>
    /// Per month: cases opened, and cases decided by outcome. The settled rate is settled ÷ (settled + failed +
    /// referred): a withdrawn application was never mediated to an end, so it counts in neither part. Months are
    /// China time.
    /// </summary>
    public List<MonthlyMediation> Monthly(string communityId, Period from, Period to)
    {
        var cases = store.List(communityId);
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
}
