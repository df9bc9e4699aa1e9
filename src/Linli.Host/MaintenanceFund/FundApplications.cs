using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Communities;
using Linli.Hosting;
using Linli.People;
using Linli.TeaTable;

namespace Linli.MaintenanceFund;

/// <summary>
/// Applications to use or raise the fund. Each opens a tea-table proposal (Civil Code art. 278: using the fund is item
/// 5, more than half; raising it is item 6, three quarters); money moves once that vote has passed. Emergencies follow
/// the local rule: a manager spends first, the use is disclosed at the tea table at once and confirmed by the
/// committee afterwards.
/// </summary>
public sealed class FundApplications(IFundStore store, FundService fund, ICommunityStore communities,
    TimeProvider time, TeaTablePosts tea, TeaTableVoting voting, AuditTrail audit)
{
    private static readonly TimeSpan DefaultVote = TimeSpan.FromDays(14);
    private const int MaxQuotes = 10;
    // One application at a time: its number, proposed first for the thread's title, is then still the next one.
    private readonly Lock _applying = new();

    public ApplicationView Apply(ClaimsPrincipal user, string communityId, ApplicationRequest r)
    {
        user.MustBelongTo(communityId);
        var emergency = r.Emergency == true;
        if (emergency ? !user.Is(Role.Manager) : !user.Serves(communityId) && !user.Is(Role.Committee))
            throw emergency
                ? DomainProblem.Forbidden("fund.emergency_managers_only")
                : DomainProblem.Forbidden("fund.staff_or_committee");
        var title = FundRules.Required(r.Title, 40, "fund.title_needed");
        var description = FundRules.Required(r.Description, FundRules.MaxText, "fund.description_needed");
        var matter = r.Matter is null ? Matter.UseFund
            : IsFundMatter(r.Matter, out var m) ? m
            : throw DomainProblem.Bad("fund.unknown_matter");
        if (emergency && matter != Matter.UseFund)
            throw DomainProblem.Bad("fund.emergencies_spend");
        var estimate = FundRules.Money(r.Estimate, "estimate");
        var buildings = (r.Buildings ?? []).Distinct().Order().ToList();
        if (buildings.Any(b => communities.FindBuilding(communityId, b) is null))
            throw DomainProblem.Bad("fund.no_such_building");
        var quotes = (r.Quotes ?? []).Select(q => q with { Amount = FundRules.Money(q.Amount, "quote") }).ToList();
        if (quotes.Count > MaxQuotes || quotes.Any(q => string.IsNullOrWhiteSpace(q.Supplier)))
            throw DomainProblem.Bad("fund.bad_quotes", new { maxQuotes = MaxQuotes });
        var reason = emergency
            ? FundRules.Required(r.EmergencyReason, 200, "fund.reason_needed")
            : null;
        var deadline = r.Deadline ?? time.GetUtcNow() + DefaultVote;
        var draft = new FundApplication
        {
            Id = "", Number = "", CommunityId = communityId, Title = title, Description = description,
            Buildings = buildings, Estimate = estimate, Quotes = quotes, Matter = matter, Emergency = emergency,
            EmergencyReason = reason, Thread = 0, By = user.DisplayName(), At = time.GetUtcNow(),
        };

        FundApplication application;
        lock (_applying)
        {
            // The thread's title carries the number, so the number is proposed before the thread is opened and
            // taken with the application after it: a thread the tea table refuses leaves no gap.
            var year = Period.Current(time).Year;
            var sequence = store.LastApplicationSequence(communityId, year) + 1;
            var number = FundApplication.NumberFor(year, sequence);
            var thread = OpenThread(user, number, draft, deadline);
            application = draft with
            {
                Id = FundApplication.IdFor(communityId, number),
                Number = number,
                Thread = thread,
            };
            if (!store.TryAddApplication(application, year, sequence))
                throw DomainProblem.Conflict("fund.numbered_meanwhile", new { number });
        }
        audit.Record(user, emergency ? "fund.emergency" : "fund.apply", application.Number,
            $"{estimate:0.00} yuan: {title}");
        return fund.View(application);
    }

    /// <summary>The committee confirms an emergency use afterwards (事后确认).</summary>
    public ApplicationView Confirm(ClaimsPrincipal user, string communityId, string number)
    {
        user.MustBelongTo(communityId);
        if (!user.Is(Role.Committee))
            throw DomainProblem.Forbidden("fund.the_committee_confirms");
        var application = fund.Application(communityId, number);
        if (!application.Emergency)
            throw DomainProblem.Conflict("fund.not_an_emergency");
        var confirmed = application.ConfirmedAt is null
            ? store.TryConfirm(communityId, number, user.DisplayName(), time.GetUtcNow())
            : null;
        if (confirmed is null)
            throw DomainProblem.Conflict("fund.confirmed");
        audit.Record(user, "fund.confirm", number);
        return fund.View(confirmed);
    }

    /// <summary>
    /// The tea-table thread that discloses the application, with the owners' vote unless it is an emergency. A single
    /// building's matter is that building's owners' to decide; several buildings or the whole estate, everyone's.
    /// </summary>
    private int OpenThread(ClaimsPrincipal user, string number, FundApplication a, DateTimeOffset deadline)
    {
        var scope = a.Buildings.Count == 1 ? a.Buildings[0] : (int?)null;
        var heading = Shorten($"公维金{(a.Emergency ? "应急使用" : "申请")} {number}：{a.Title}");
        var (thread, _) = tea.CreateThread(user, heading, Opening(number, a), scope);
        if (!a.Emergency)
        {
            var verb = a.Matter == Matter.RaiseFund ? "筹集" : "使用";
            voting.Propose(user, thread.Id, new ProposalRequest(
                $"同意{verb}公维金 {a.Estimate:0.00} 元用于：{a.Title}。", a.Matter.ToString(), deadline));
        }
        return thread.Id;
    }

    /// <summary>"全体业主", or the buildings named: "3栋、5栋".</summary>
    private static string Scope(List<int> buildings) =>
        buildings.Count == 0 ? "全体业主" : string.Join("、", buildings.Select(b => $"{b}栋"));

    private static string Opening(string number, FundApplication a)
    {
        var lines = new List<string>
        {
            a.EmergencyReason is null
                ? $"【公维金使用申请 {number}】{a.Title}"
                : $"【公维金应急使用公示 {number}】{a.Title}",
            a.Description,
            $"范围：{Scope(a.Buildings)}",
            $"预算：{a.Estimate:0.00} 元",
        };
        lines.AddRange(a.Quotes.Select(q => $"报价：{q.Supplier} {q.Amount:0.00} 元"));
        lines.Add(a.EmergencyReason is null
            ? "请业主在截止前投票；表决通过后方可支取，支取记录与表决结果一并公开。"
            : $"应急原因：{a.EmergencyReason}。按规定先行使用，事后公示并由业委会确认。");
        return string.Join("\n", lines);
    }

    private static string Shorten(string title) => title.Length <= 60 ? title : title[..59] + "…";

    /// <summary>Using the fund (art. 278 item 5) or raising it (item 6), named rather than numbered.</summary>
    private static bool IsFundMatter(string text, out Matter matter) =>
        EnumNames.TryParse(text, out matter) && matter is Matter.UseFund or Matter.RaiseFund;
}
