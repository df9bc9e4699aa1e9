using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;
using static Linli.TeaTable.TeaTableRules;

namespace Linli.TeaTable;

/// <summary>
/// Proposals and owners' votes on them, counted as Civil Code art. 278 says (<see cref="VoteRules"/>); who voted
/// what is for the residents' committee, the tallies for everyone.
/// </summary>
public sealed class TeaTableVoting(
    TeaTableThreads reading, ITeaVoteStore votes, TeaTableTally tally, TeaTableViews views,
    TeaTableDirectory directory, ITeaTableFeed feed, AuditTrail audit, TimeProvider time)
{
    public ThreadView Propose(ClaimsPrincipal user, int threadId, ProposalRequest request)
    {
        var thread = reading.Thread(user, threadId);
        if (thread.AuthorId != user.PersonId() && !IsModerator(user) && !user.Is(Role.Committee))
            throw DomainProblem.Forbidden("tea.not_your_thread");
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > 2000)
            throw DomainProblem.Bad("tea.proposal_text_needed");
        var matter = EnumNames.Parse<Matter>(request.Matter, "matter", "tea.unknown_matter");
        if (request.Deadline is not { } deadline || deadline <= time.GetUtcNow().AddHours(1))
            throw DomainProblem.Bad("tea.a_deadline_is_needed");
        if (votes.Any(thread.CommunityId, threadId))
            throw DomainProblem.Conflict("tea.votes_were_cast");
        var proposal = new Proposal
        {
            Text = request.Text.Trim(), Matter = matter, Deadline = deadline, By = views.PublicName(user),
        };
        var changed = reading.Change(user, threadId, t => t with { Proposal = proposal });
        audit.Record(user, "tea.propose", $"thread {threadId}", $"{matter}: {proposal.Text}");
        return views.View(changed, user);
    }

    /// <summary>
    /// An owner's vote, for every unit in scope they own or co-own, whichever flat they signed in for (the last
    /// co-owner to vote speaks for a unit). Two votes of one owner at once end as one of them for all their units.
    /// </summary>
    public ThreadView Vote(ClaimsPrincipal user, int threadId, string? stance, string? reason)
    {
        var thread = reading.Thread(user, threadId);
        if (thread.Proposal is not { } proposal)
            throw DomainProblem.Conflict("tea.nothing_to_vote_on");
        if (time.GetUtcNow() >= proposal.Deadline || proposal.Final is not null)
            throw DomainProblem.Conflict("tea.voting_has_closed", new { deadline = proposal.Deadline });
        var s = EnumNames.Parse<Stance>(stance, "stance", "tea.unknown_stance");
        if (reason is { Length: > 500 }) throw DomainProblem.Bad("tea.reason_too_long");
        var units = OwnedUnits(user, thread);
        if (units.Count == 0)
            throw DomainProblem.Forbidden("tea.only_owners_vote");
        var now = time.GetUtcNow();
        var records = units.Select(unit => new VoteRecord
        {
            Id = VoteRecord.IdFor(threadId, unit), ThreadId = threadId, UnitId = unit, PersonId = user.PersonId()!,
            Stance = s, Reason = reason?.Trim(), At = now,
        }).ToList();
        votes.Cast(thread.CommunityId, threadId, records);
        // One count for both: the voter's view, and the same without what is theirs for everyone watching.
        var view = views.View(thread, user);
        feed.ThreadChanged(view with { Following = false, Vote = view.Vote! with { MyStance = null } });
        return view;
    }

    public List<VoteView> Votes(ClaimsPrincipal user, int threadId)
    {
        var thread = reading.Thread(user, threadId);
        if (!SeesVotes(user))
            throw DomainProblem.Forbidden("tea.votes_for_committee");
        audit.Record(user, "tea.votes_read", $"thread {threadId}");
        return votes.For(thread.CommunityId, thread.Id).Select(v => new VoteView(
                directory.Unit(v.UnitId)?.Label ?? v.UnitId,
                directory.Person(thread.CommunityId, v.PersonId)?.Name ?? v.PersonId,
                v.Stance.ToString(), v.Reason, v.At))
            .ToList();
    }

    /// <summary>Owners of units in scope who have not voted yet.</summary>
    public List<Person> Undecided(TeaThread thread)
    {
        var voted = votes.For(thread.CommunityId, thread.Id).Select(v => v.UnitId).ToHashSet();
        var scope = tally.UnitsInScope(thread).Select(u => u.Id).ToHashSet();
        bool Undecided(UnitBinding b) =>
            TeaTableTally.IsOwner(b) && scope.Contains(b.UnitId) && !voted.Contains(b.UnitId);
        return directory.People(thread.CommunityId).Where(p => !p.IsOrganization && p.Units.Any(Undecided)).ToList();
    }

    /// <summary>
    /// The units in the thread's scope the signed-in person owns or co-owns (a resident signed in for one flat: that
    /// flat).
    /// </summary>
    private List<string> OwnedUnits(ClaimsPrincipal user, TeaThread thread)
    {
        if (!user.Is(Role.Owner) || directory.Person(thread.CommunityId, user.PersonId()!) is not { } person) return [];
        var scope = tally.UnitsInScope(thread).Select(u => u.Id).ToHashSet();
        // One owner, one stance: signed in from any of their flats, an owner votes for all they own in scope, so
        // nobody can vote both ways from two flats or be counted in two headcounts.
        return person.Units.Where(b => TeaTableTally.IsOwner(b) && scope.Contains(b.UnitId))
            .Select(b => b.UnitId)
            .ToList();
    }
}
