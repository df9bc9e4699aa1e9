using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;

namespace Linli.Projects;

/// <summary>
/// Community projects and their open accounts (业账社审) as every member of the community reads them, and who may
/// write them: staff and the residents' committee, through <see cref="ProjectLifecycle"/> (a project, its steps and
/// progress) and <see cref="ProjectMoney"/> (its money lines, only ever appended).
/// </summary>
public sealed class ProjectService(IProjectStore store)
{
    /// <summary>Staff of the community and its residents' committee.</summary>
    public static bool MayManage(ClaimsPrincipal user, string communityId) =>
        user.Serves(communityId) || user.CommunityId() == communityId && user.Is(Role.Committee);

    public IReadOnlyList<Project> List(ClaimsPrincipal user, string communityId)
    {
        Member(user, communityId);
        return store.List(communityId);
    }

    public Project Get(ClaimsPrincipal user, string communityId, string number)
    {
        Member(user, communityId);
        return store.Find(communityId, number.Trim().ToUpperInvariant())
            ?? throw DomainProblem.NotFound("projects.not_found", new { number });
    }

    /// <summary>The final account of a project, whatever its status.</summary>
    public FinalAccount FinalAccount(string communityId, string number) =>
        AccountOf(store.Find(communityId, number)
            ?? throw DomainProblem.NotFound("projects.not_found_by_id", new { communityId, number }));

    public static FinalAccount AccountOf(Project project)
    {
        decimal Sum(MoneyLineKind kind, FundingSource? source = null) =>
            project.Lines.Where(l => l.Kind == kind && (source is null || l.Source == source)).Sum(l => l.Amount);
        var sources = Enum.GetValues<FundingSource>().Where(s => project.Lines.Any(l => l.Source == s)).Select(s =>
        {
            var (pledged, received) = (Sum(MoneyLineKind.Pledge, s), Sum(MoneyLineKind.Receipt, s));
            return new SourceAccount(s, FundingSources.Chinese(s), pledged, received, pledged - received,
                pledged == 0 && received != 0);
        }).ToArray();
        var (totalReceived, spent) = (Sum(MoneyLineKind.Receipt), Sum(MoneyLineKind.Expense));
        var refunded = project.Lines.Where(l => l.Kind == MoneyLineKind.Expense && l.Refund).Sum(l => l.Amount);
        return new FinalAccount(project.Number, project.Status, project.Budget, sources, Sum(MoneyLineKind.Pledge),
            totalReceived, spent, refunded, totalReceived - spent, totalReceived == spent);
    }

    /// <summary>Every project of the community not yet closed, newest first.</summary>
    public List<ProjectProgress> Progress(string communityId) =>
        [.. store.List(communityId, openOnly: true).Select(p =>
        {
            var account = AccountOf(p);
            var last = p.Updates.LastOrDefault();
            return new ProjectProgress(p.Number, p.Title, p.Status, p.Budget, account.Pledged, account.Received,
                account.Spent, decimal.Round(account.Received * 100 / p.Budget, 1), last?.Text, last?.At);
        })];

    /// <summary>Other communities are not told a project exists: 404 to them, as to a wrong number.</summary>
    internal static void Member(ClaimsPrincipal user, string communityId)
    {
        if (user.CommunityId() != communityId)
            throw DomainProblem.NotFound("projects.not_a_member", new { communityId });
    }

    internal static void Manager(ClaimsPrincipal user, string communityId)
    {
        Member(user, communityId);
        if (!MayManage(user, communityId))
            throw DomainProblem.Forbidden("projects.staff_and_committee");
    }
}
