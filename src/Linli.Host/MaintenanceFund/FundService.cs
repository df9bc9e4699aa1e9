using System.Globalization;
using System.Security.Claims;
using Linli.Accounts;
using Linli.Communities;
using Linli.Fees;
using Linli.Hosting;
using Linli.People;
using Linli.Storage;
using Linli.TeaTable;

namespace Linli.MaintenanceFund;

/// <summary>
/// The maintenance fund (公维金): its balance per community, building and flat, and the rule that spends it: an
/// application opens a tea-table proposal (Civil Code art. 278: using the fund is item 5, more than half; raising it is
/// item 6, three quarters) and a withdrawal is refused until that vote has passed. Emergencies follow the local rule:
/// a manager spends first, the use is disclosed at the tea table at once and confirmed by the committee afterwards.
/// </summary>
public sealed class FundService(LinliDatabase db, TimeProvider time, TeaTablePosts tea, TeaTableVoting voting,
    TeaTableTally tally, AuditTrail audit)
{
    public const int MaxText = 2000;
    private static readonly TimeSpan DefaultVote = TimeSpan.FromDays(14);
    private static readonly Lock Writes = new();

    // ---- applications ----

    public ApplicationView Apply(ClaimsPrincipal user, string communityId, ApplicationRequest r)
    {
        user.MustBelongTo(communityId);
        var emergency = r.Emergency == true;
        if (emergency ? !user.Is(Role.Manager) : !user.Serves(communityId) && !user.Is(Role.Committee))
            throw DomainProblem.Forbidden(emergency ? "Managers only" : "Staff or committee",
                emergency
                    ? "Emergency use is decided by the property manager."
                    : "The office or the committee applies.");
        var title = Required(r.Title, 40, "title", "Say in a few words what the money is for.");
        var description = Required(r.Description, MaxText, "description", "Describe the works.");
        var matter = r.Matter is null ? Matter.UseFund
            : IsFundMatter(r.Matter, out var m) ? m
            : throw DomainProblem.Bad("Unknown matter",
                "matter is UseFund (art. 278 item 5) or RaiseFund (item 6).");
        if (emergency && matter != Matter.UseFund)
            throw DomainProblem.Bad("Emergencies spend", "An emergency uses the fund.");
        var estimate = Money(r.Estimate, "estimate");
        var buildings = (r.Buildings ?? []).Distinct().Order().ToList();
        if (buildings.Any(b => !db.Buildings.Exists(x => x.CommunityId == communityId && x.Number == b)))
            throw DomainProblem.Bad("No such building", "Name buildings of this community.");
        var quotes = (r.Quotes ?? []).Select(q => q with { Amount = Money(q.Amount, "quote") }).ToList();
        if (quotes.Count > 10 || quotes.Any(q => string.IsNullOrWhiteSpace(q.Supplier)))
            throw DomainProblem.Bad("Bad quotes", "At most 10 quotes, each with its supplier.");
        var reason = emergency ? Required(r.EmergencyReason, 200, "reason", "Say what made it an emergency.") : null;
        var deadline = r.Deadline ?? time.GetUtcNow() + DefaultVote;

        var number = NextNumber(communityId);
        // A single building's matter is that building's owners' to decide; several buildings or the whole estate,
        // everyone's.
        var scope = buildings.Count == 1 ? buildings[0] : (int?)null;
        var (thread, _) = tea.CreateThread(user, Shorten($"公维金{(emergency ? "应急使用" : "申请")} {number}：{title}"),
            Opening(number, title, description, buildings, estimate, quotes, reason), scope);
        if (!emergency)
            voting.Propose(user, thread.Id, new ProposalRequest(
                $"同意{(matter == Matter.RaiseFund ? "筹集" : "使用")}公维金 {estimate:0.00} 元用于：{title}。",
                matter.ToString(), deadline));
        var application = new FundApplication
        {
            Id = FundApplication.IdFor(communityId, number), Number = number, CommunityId = communityId, Title = title,
            Description = description, Buildings = buildings, Estimate = estimate, Quotes = quotes, Matter = matter,
            Emergency = emergency, EmergencyReason = reason, Thread = thread.Id, By = user.DisplayName(),
            At = time.GetUtcNow(),
        };
        db.FundApplications.Insert(application);
        audit.Record(user, emergency ? "fund.emergency" : "fund.apply", number, $"{estimate:0.00} yuan: {title}");
        return View(application);
    }

    /// <summary>Pays out against an application: after its vote passed, or at once in a flagged emergency.</summary>
    public FundEntry Spend(ClaimsPrincipal user, string communityId, string number, SpendRequest r)
    {
        user.MustServe(communityId);
        var amount = Money(r.Amount, "amount");
        var payee = Required(r.Payee, 100, "payee", "Name who is paid.");
        FundEntry entry;
        lock (Writes)
        {
            var application = Application(communityId, number);
            Tally? vote = null;
            if (application.Emergency)
            {
                if (!user.Is(Role.Manager))
                    throw DomainProblem.Forbidden("Managers only", "Emergency use is the manager's to spend.");
            }
            else
            {
                if (application.Matter != Matter.UseFund)
                    throw DomainProblem.Conflict("Nothing to spend",
                        "This application raises the fund; owners then contribute.");
                vote = Final(application);
                if (vote?.Outcome != Outcome.Passed)
                    throw DomainProblem.Conflict("Not approved by the owners", vote is null
                        ? "The owners' vote has not closed yet."
                        : $"The owners' vote ended {vote.Outcome}.");
            }
            var spent = Spent(application);
            var leftOfEstimate = application.Estimate - spent;
            if (spent + amount > application.Estimate)
                throw DomainProblem.Conflict("Over the estimate",
                    $"{leftOfEstimate:0.00} yuan of the estimate is left.");
            // The buildings the application names, or every building when it names none.
            var available = Summary(communityId, null).Buildings
                .Where(b => application.Buildings.Count == 0 || application.Buildings.Contains(b.Building))
                .Sum(b => b.Balance);
            if (amount > available)
                throw DomainProblem.Conflict("Not enough in the fund", $"These flats hold {available:0.00} yuan.");
            entry = Append(new FundEntry
            {
                Id = "", CommunityId = communityId, Number = 0,
                Kind = application.Emergency ? FundEntryKind.EmergencyWithdrawal : FundEntryKind.Withdrawal,
                Amount = -amount, Buildings = application.Buildings, Date = Period.Today(time),
                Note = $"{payee}：{r.Note?.Trim()}".TrimEnd('：'),
                Application = number, VoteThread = application.Emergency ? null : application.Thread, Vote = vote,
                RecordedBy = user.DisplayName(), RecordedAt = time.GetUtcNow(),
            });
        }
        audit.Record(user, entry.Kind == FundEntryKind.Withdrawal ? "fund.spend" : "fund.emergency_spend", number,
            $"{amount:0.00} yuan to {payee}");
        return entry;
    }

    /// <summary>The committee confirms an emergency use afterwards (事后确认).</summary>
    public ApplicationView Confirm(ClaimsPrincipal user, string communityId, string number)
    {
        user.MustBelongTo(communityId);
        if (!user.Is(Role.Committee))
            throw DomainProblem.Forbidden("The committee confirms", "Emergency use is confirmed by the committee.");
        FundApplication confirmed;
        lock (Writes)
        {
            var application = Application(communityId, number);
            if (!application.Emergency)
                throw DomainProblem.Conflict("Not an emergency", "Ordinary use is decided by the owners' vote.");
            if (application.ConfirmedAt is not null)
                throw DomainProblem.Conflict("Confirmed", "This emergency use is confirmed already.");
            confirmed = application with { ConfirmedBy = user.DisplayName(), ConfirmedAt = time.GetUtcNow() };
            db.FundApplications.Update(confirmed);
        }
        audit.Record(user, "fund.confirm", number);
        return View(confirmed);
    }

    // ---- money in ----

    public FundEntry Contribute(ClaimsPrincipal user, string communityId, ContributionRequest r)
    {
        user.MustServe(communityId);
        var unit = FlatNamed(communityId, r.Flat)
            ?? throw DomainProblem.Bad("No such flat", "Name the flat, e.g. 3栋502.");
        var entry = Append(new FundEntry
        {
            Id = "", CommunityId = communityId, Number = 0, Kind = FundEntryKind.Contribution,
            Amount = Money(r.Amount, "amount"), UnitId = unit.Id, Date = Period.Today(time),
            Note = r.Note?.Trim() ?? "", RecordedBy = user.DisplayName(), RecordedAt = time.GetUtcNow(),
        });
        audit.Record(user, "fund.contribution", unit.Label, $"{entry.Amount:0.00} yuan");
        return entry;
    }

    /// <summary>The flat written as the tea table writes it, e.g. 3栋502.</summary>
    private Unit? FlatNamed(string communityId, string? flat) =>
        db.Units.FindOne(u => u.CommunityId == communityId && u.BuildingNumber + "栋" + u.Room == (flat ?? "").Trim());

    public FundEntry Interest(ClaimsPrincipal user, string communityId, InterestRequest r)
    {
        user.MustServe(communityId);
        var entry = Append(new FundEntry
        {
            Id = "", CommunityId = communityId, Number = 0, Kind = FundEntryKind.Interest,
            Amount = Money(r.Amount, "amount"), Date = r.Date ?? Period.Today(time), Note = r.Note?.Trim() ?? "",
            RecordedBy = user.DisplayName(), RecordedAt = time.GetUtcNow(),
        });
        audit.Record(user, "fund.interest", entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            $"{entry.Amount:0.00} yuan");
        return entry;
    }

    /// <summary>Adds an entry, numbered next; the demo's history comes in this way too.</summary>
    public FundEntry Append(FundEntry draft) => db.InTransaction(() =>
    {
        var number = db.NextNumber($"fund|{draft.CommunityId}");
        var entry = draft with { Id = $"{draft.CommunityId}/{number:D6}", Number = number };
        db.FundEntries.Insert(entry);
        return entry;
    });

    // ---- reading ----

    /// <summary>
    /// The balance, its parts, each building's share and (for a resident) their flat's: a contribution is its flat's;
    /// interest and withdrawals are shared by the floor area of the flats they concern. Shares are rounded to the fen,
    /// so the buildings' may differ from the whole by a fen or two.
    /// </summary>
    public FundSummary Summary(string communityId, string? unitId)
    {
        var units = db.Units.Find(u => u.CommunityId == communityId).ToDictionary(u => u.Id);
        var entries = db.FundEntries.Find(e => e.CommunityId == communityId).ToList();
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

    public List<FundEntry> Entries(string communityId, int take) =>
        db.FundEntries.Find(e => e.CommunityId == communityId).OrderByDescending(e => e.Number).Take(take).ToList();

    public List<ApplicationView> Applications(string communityId) =>
        db.FundApplications.Find(a => a.CommunityId == communityId).OrderByDescending(a => a.At).Select(View).ToList();

    public ApplicationView Get(string communityId, string number) => View(Application(communityId, number));

    private ApplicationView View(FundApplication a)
    {
        var spent = Spent(a);
        var vote = a.Emergency ? null : Final(a) ?? Live(a);
        var allSpent = spent > 0 && spent == a.Estimate;
        var status = a.Emergency
            ? a.ConfirmedAt is null ? ApplicationStatus.AwaitingConfirmation : ApplicationStatus.Confirmed
            : Final(a)?.Outcome switch
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
    private Tally? Final(FundApplication a) => db.TeaThreads.FindById(a.Thread)?.Proposal?.Final;

    private Tally? Live(FundApplication a) =>
        db.TeaThreads.FindById(a.Thread) is { Proposal: not null } t ? tally.Count(t) : null;

    private decimal Spent(FundApplication a) =>
        -db.FundEntries.Find(e => e.CommunityId == a.CommunityId && e.Application == a.Number).Sum(e => e.Amount);

    private FundApplication Application(string communityId, string number) =>
        db.FundApplications.FindById(FundApplication.IdFor(communityId, number))
            ?? throw DomainProblem.NotFound("No such application", $"There is no application {number}.");

    private string NextNumber(string communityId)
    {
        var year = Period.Current(time).Year;
        return $"WX-{year}-{db.NextNumber($"fund-application|{communityId}|{year}"):D2}";
    }

    private string Opening(string number, string title, string description, List<int> buildings, decimal estimate,
        List<Quote> quotes, string? emergency)
    {
        var lines = new List<string>
        {
            emergency is null ? $"【公维金使用申请 {number}】{title}" : $"【公维金应急使用公示 {number}】{title}",
            description,
            $"范围：{(buildings.Count == 0 ? "全体业主" : string.Join("、", buildings.Select(b => $"{b}栋")))}",
            $"预算：{estimate:0.00} 元",
        };
        lines.AddRange(quotes.Select(q => $"报价：{q.Supplier} {q.Amount:0.00} 元"));
        lines.Add(emergency is null
            ? "请业主在截止前投票；表决通过后方可支取，支取记录与表决结果一并公开。"
            : $"应急原因：{emergency}。按规定先行使用，事后公示并由业委会确认。");
        return string.Join("\n", lines);
    }

    private static string Shorten(string title) => title.Length <= 60 ? title : title[..59] + "…";

    /// <summary>Using the fund (art. 278 item 5) or raising it (item 6), named rather than numbered.</summary>
    private static bool IsFundMatter(string text, out Matter matter) =>
        Enum.TryParse<Matter>(text, true, out matter)
        && matter is Matter.UseFund or Matter.RaiseFund
        && !int.TryParse(text, out _);

    private static string Required(string? text, int max, string name, string detail) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Length > max
            ? throw DomainProblem.Bad($"A {name} is needed", $"{detail} (at most {max} characters)")
            : text.Trim();

    private static decimal Money(decimal? amount, string name) =>
        amount is { } a && a > 0 && a == decimal.Round(a, 2) && a <= 1_000_000_000m ? a
            : throw DomainProblem.Bad($"Bad {name}", $"{name} is yuan above zero, to the fen.");
}
