using System.Collections.Concurrent;
using Linli.People;

namespace Linli.TeaTable;

/// <summary>
/// The count of a thread's proposal: its votes against the electorate of its scope (the community or one building),
/// as <see cref="VoteRules"/> counts them.
/// </summary>
public sealed class TeaTableTally(ITeaVoteStore votes, TeaTableDirectory directory, TimeProvider time)
{
    private static readonly TimeSpan ElectorateLifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string, int?), (DateTimeOffset At, List<Voter> Voters)> _electorates = new();

    public Tally Count(TeaThread thread)
    {
        var stances = votes.For(thread.CommunityId, thread.Id).ToDictionary(v => v.UnitId, v => v.Stance);
        return VoteRules.Count(thread.Proposal!.Matter, Electorate(thread), stances);
    }

    /// <summary>The flats a thread's proposal concerns: its building's, or the whole community's.</summary>
    public IReadOnlyList<Communities.Unit> UnitsInScope(TeaThread thread) =>
        directory.Units(thread.CommunityId, thread.Building);

    public static bool IsOwner(UnitBinding binding) => binding.Relation is UnitRelation.Owner or UnitRelation.CoOwner;

    /// <summary>
    /// Who may vote on a thread's proposal. Every change to a thread is told with its tally, so the electorate (a scan
    /// of the community's people) is kept for a minute per community and building rather than rebuilt on every post.
    /// </summary>
    private List<Voter> Electorate(TeaThread thread)
    {
        var key = (thread.CommunityId, thread.Building);
        var now = time.GetUtcNow();
        if (_electorates.TryGetValue(key, out var kept) && now - kept.At < ElectorateLifetime) return kept.Voters;
        var voters = BuildElectorate(thread);
        _electorates[key] = (now, voters);
        return voters;
    }

    private List<Voter> BuildElectorate(TeaThread thread)
    {
        var owners = directory.People(thread.CommunityId)
            .SelectMany(p => p.Units.Where(IsOwner).Select(b => (b.UnitId, Person: p)))
            .ToLookup(x => x.UnitId, x => x.Person);
        return VoteRules.Electorate(
            UnitsInScope(thread).Select(u => (u, (IReadOnlyList<Person>)owners[u.Id].ToList())));
    }
}
