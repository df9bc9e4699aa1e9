namespace Linli.TeaTable;

/// <summary>
/// What a proposal decides, as Civil Code art. 278 sorts matters. Items 6–8 (raising the maintenance fund, rebuilding,
/// changing the use of common parts or running a business on them) are <see cref="VoteRules.IsSpecial">special</see>
/// and need three quarters; everything else needs more than half.
/// </summary>
public enum Matter
{
    /// <summary>House rules (item 1), the owners' meeting's or committee's rules.</summary>
    HouseRules,
    /// <summary>Electing or replacing the owners' committee (item 2).</summary>
    ElectCommittee,
    /// <summary>Hiring or dismissing the property company (item 3).</summary>
    PropertyCompany,
    /// <summary>Using the maintenance fund (item 5).</summary>
    UseFund,
    /// <summary>Raising (筹集) the maintenance fund (item 6).</summary>
    RaiseFund,
    /// <summary>Rebuilding or reconstructing buildings (item 7).</summary>
    Rebuild,
    /// <summary>Changing the use of common parts or running a business on them (item 8).</summary>
    CommonPartsUse,
    /// <summary>Any other major matter of common interest (item 9).</summary>
    Other,
}

public enum Stance { Agree, Disagree, Abstain }

/// <summary>A unit in the vote: its exclusive floor area and who owns it for the headcount.</summary>
/// <param name="OwnerKey">
/// The owner as the headcount counts them: the same for every unit one buyer owns (they count once), one key for
/// co-owners of a unit together (a unit is one owner), and one key for all of the developer's unsold or undelivered
/// units.
/// </param>
public sealed record Voter(string UnitId, decimal Area, string OwnerKey);

public enum Outcome
{
    /// <summary>Not enough owners took part (by area or by headcount).</summary>
    NoQuorum,
    Passed,
    Rejected,
}

/// <summary>One side of the count: floor area and owners (headcount).</summary>
public sealed record Count(decimal Area, int Owners);

public sealed record Tally(
    Count Total, Count Participating, Count Agree, Count Disagree, Count Abstain, bool Quorum, Outcome Outcome,
    bool Special);

/// <summary>
/// The double majority of Civil Code art. 278 with the Supreme People's Court's headcount rules (法释〔2009〕7号 art. 8–9):
/// area is the units' exclusive floor area; each unit is one owner, but a buyer of several units counts once and the
/// developer's unsold or undelivered units count once together. Participation (abstaining included) must reach 2/3 of
/// all area and 2/3 of all owners; then special matters need ≥ 3/4 of the participating area and owners, others > 1/2.
/// </summary>
public static class VoteRules
{
    public static bool IsSpecial(Matter matter) =>
        matter is Matter.RaiseFund or Matter.Rebuild or Matter.CommonPartsUse;

    /// <param name="electorate">Every unit in the proposal's scope (the community or one building).</param>
    /// <param name="stances">The stance recorded for each unit that voted, by unit id.</param>
    public static Tally Count(
        Matter matter, IReadOnlyCollection<Voter> electorate, IReadOnlyDictionary<string, Stance> stances)
    {
        var total = Sum(electorate);
        var voted = electorate.Where(v => stances.ContainsKey(v.UnitId)).ToList();
        var participating = Sum(voted);
        var agree = Sum(voted.Where(v => stances[v.UnitId] == Stance.Agree));
        var disagree = Sum(voted.Where(v => stances[v.UnitId] == Stance.Disagree));
        var abstain = Sum(voted.Where(v => stances[v.UnitId] == Stance.Abstain));

        var quorum = total.Owners > 0
            && participating.Area * 3 >= total.Area * 2
            && participating.Owners * 3 >= total.Owners * 2;
        var special = IsSpecial(matter);
        var carried = special
            ? agree.Area * 4 >= participating.Area * 3 && agree.Owners * 4 >= participating.Owners * 3
            : agree.Area * 2 > participating.Area && agree.Owners * 2 > participating.Owners;
        var outcome = !quorum ? Outcome.NoQuorum : carried ? Outcome.Passed : Outcome.Rejected;
        return new Tally(total, participating, agree, disagree, abstain, quorum, outcome, special);
    }

    /// <summary>
    /// The electorate of some units: the developer (an organisation) counts once for all its units; a buyer of
    /// several units counts once; co-owners of a unit are that unit's one owner. A unit with no owner on file counts
    /// on its own.
    /// </summary>
    public static List<Voter> Electorate(
        IEnumerable<(Communities.Unit Unit, IReadOnlyList<People.Person> Owners)> units) =>
        units.Select(u => new Voter(u.Unit.Id, u.Unit.Area, OwnerKey(u.Unit.Id, u.Owners))).ToList();

    public static string OwnerKey(string unitId, IReadOnlyList<People.Person> owners) =>
        owners.FirstOrDefault(o => o.IsOrganization) is { } developer ? "org:" + developer.Id
        : owners.Count == 0 ? "unit:" + unitId
        : string.Join("+", owners.Select(o => o.Id).Order(StringComparer.Ordinal));

    /// <summary>Area adds up per unit; owners count once per owner key.</summary>
    private static Count Sum(IEnumerable<Voter> voters)
    {
        var list = voters as IReadOnlyCollection<Voter> ?? voters.ToList();
        return new Count(list.Sum(v => v.Area), list.Select(v => v.OwnerKey).Distinct().Count());
    }
}
