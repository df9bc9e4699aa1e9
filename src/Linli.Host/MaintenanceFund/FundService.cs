using Linli.Communities;
using Linli.TeaTable;

namespace Linli.MaintenanceFund;

/// <summary>
/// The maintenance fund (公维金) as every member of the community reads it: its balance per community, building and
/// flat, its movements, and the applications to use or raise it with their votes. Money comes in and goes out through
/// <see cref="FundMoney"/>; applications are made and confirmed through <see cref="FundApplications"/>.
/// </summary>
public sealed class FundService(IFundStore store, ICommunityStore communities, ITeaThreadStore threads,
    TeaTableTally tally)
{
    /// <summary>
    /// The balance, its parts, each building's share and (for a resident) their flat's: a contribution is its flat's;
    /// interest and withdrawals are shared by the floor area of the flats they concern. Shares are rounded to the fen,
    /// so the buildings' may differ from the whole by a fen or two.
    /// </summary>
    public FundSummary Summary(string communityId, string? unitId)
    {
        var units = communities.Units(communityId).ToDictionary(u => u.Id);
        var entries = store.Entries(communityId);
        var scopeArea = new Dictionary<string, decimal>();
        decimal Share(FundEntry e, Func<Unit, bool> which)
        {
            if (e.UnitId is { } id) return units.TryGetValue(id, out var u) && which(u) ? e.Amount : 0m;
            var scope = units.Values
                .Where(u => e.Buildings.Count == 0 || e.Buildings.Contains(u.BuildingNumber))
                .ToList();
            var key = string.Join(',', e.Buildings);
            var total = scopeArea.TryGetValue(key, out var a) ? a : scopeArea[key] = scope.Sum(u => u.Area);
            return total == 0 ? 0m : e.Amount * scope.Where(which).Sum(u => u.Area) / total;
        }
        decimal Of(FundEntryKind kind) => entries.Where(e => e.Kind == kind).Sum(e => e.Amount);
        decimal BalanceOf(Func<Unit, bool> which) => decimal.Round(entries.Sum(e => Share(e, which)), 2);
        var buildings = units.Values.Select(u => u.BuildingNumber).Distinct().Order()
            .Select(b => new BuildingBalance(b, BalanceOf(u => u.BuildingNumber == b)))
            .ToArray();
        decimal? mine = unitId is not null && units.ContainsKey(unitId)
            ? BalanceOf(u => u.Id == unitId) : null;
        return new FundSummary(entries.Sum(e => e.Amount), Of(FundEntryKind.Contribution), Of(FundEntryKind.Interest),
            -Of(FundEntryKind.Withdrawal), -Of(FundEntryKind.EmergencyWithdrawal), buildings, mine,
            mine is null ? null : units[unitId!].Label);
    }

    public IReadOnlyList<FundEntry> Entries(string communityId, int take) => store.Latest(communityId, take);

    public List<ApplicationView> Applications(string communityId) =>
        store.Applications(communityId).Select(View).ToList();

    public ApplicationView Get(string communityId, string number) => View(Application(communityId, number));

    internal ApplicationView View(FundApplication a)
    {
        var spent = Spent(a);
        var final = a.Emergency ? null : Final(a);
        var vote = a.Emergency ? null : final ?? Live(a);
        var allSpent = spent > 0 && spent == a.Estimate;
        var status = a.Emergency
            ? a.ConfirmedAt is null ? ApplicationStatus.AwaitingConfirmation : ApplicationStatus.Confirmed
            : final?.Outcome switch
            {
                null => ApplicationStatus.Voting,
                Outcome.Passed => allSpent ? ApplicationStatus.Spent : ApplicationStatus.Approved,
                Outcome.Rejected => ApplicationStatus.Rejected,
                _ => ApplicationStatus.NoQuorum,
            };
        return new ApplicationView(a.Number, a.Title, a.Description, [.. a.Buildings], a.Estimate, [.. a.Quotes],
            a.Matter.ToString(), a.Emergency, a.EmergencyReason, status, a.Thread, spent, vote, a.At, a.ConfirmedBy);
    }

    /// <summary>The vote's count once its deadline passed (the tea table's timers fix it).</summary>
    internal Tally? Final(FundApplication a) => threads.Find(a.CommunityId, a.Thread)?.Proposal?.Final;

    private Tally? Live(FundApplication a) =>
        threads.Find(a.CommunityId, a.Thread) is { Proposal: not null } t ? tally.Count(t) : null;

    /// <summary>What has been paid out against the application so far.</summary>
    internal decimal Spent(FundApplication a) => -store.TotalFor(a.CommunityId, a.Number);

    internal FundApplication Application(string communityId, string number) =>
        store.FindApplication(communityId, number)
            ?? throw Hosting.DomainProblem.NotFound("fund.no_such_application", new { number });
}
