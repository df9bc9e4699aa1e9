using System.Globalization;
using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Communities;
using Linli.Hosting;
using Linli.People;
using Linli.Storage;
using Linli.TeaTable;

namespace Linli.MaintenanceFund;

/// <summary>
/// Money into the fund (a flat's deposit or top-up, interest) and out of it: a withdrawal is refused until the owners'
/// vote on its application has passed, except in a flagged emergency, and never takes more than the application's
/// estimate or the money its buildings' flats hold.
/// </summary>
public sealed class FundMoney(IFundStore store, FundService fund, ICommunityStore communities, TimeProvider time,
    AuditTrail audit)
{
    /// <summary>Pays out against an application: after its vote passed, or at once in a flagged emergency.</summary>
    public FundEntry Spend(ClaimsPrincipal user, string communityId, string number, SpendRequest r)
    {
        user.MustServe(communityId);
        var amount = FundRules.Money(r.Amount, "amount");
        var payee = FundRules.Required(r.Payee, 100, "fund.payee_needed");
        // Other entries landing while a withdrawal is checked: it is checked again.
        return Optimistic.Retry<FundEntry>(() =>
        {
            var application = fund.Application(communityId, number);
            var vote = Allowed(user, application);
            // Read first: an entry added after it makes the withdrawal refused and checked again.
            var last = store.LastNumber(communityId);
            MustCover(application, amount);
            var entry = store.TryAppend(new FundEntry
            {
                Id = "", CommunityId = communityId, Number = 0,
                Kind = application.Emergency ? FundEntryKind.EmergencyWithdrawal : FundEntryKind.Withdrawal,
                Amount = -amount, Buildings = application.Buildings, Date = ChinaTime.Today(time),
                Note = $"{payee}：{r.Note?.Trim()}".TrimEnd('：'),
                Application = number, VoteThread = application.Emergency ? null : application.Thread, Vote = vote,
                RecordedBy = user.DisplayName(), RecordedAt = time.GetUtcNow(),
            }, last);
            if (entry is null) return Optimistic.Lost;
            audit.Record(user, entry.Kind == FundEntryKind.Withdrawal ? "fund.spend" : "fund.emergency_spend",
                number, $"{amount:0.00} yuan to {payee}");
            return entry;
        }, () => DomainProblem.Conflict("fund.the_fund_is_busy"));
    }

    public FundEntry Contribute(ClaimsPrincipal user, string communityId, ContributionRequest r)
    {
        user.MustServe(communityId);
        var unit = communities.FindFlat(communityId, r.Flat)
            ?? throw DomainProblem.Bad("fund.no_such_flat");
        var entry = store.Append(new FundEntry
        {
            Id = "", CommunityId = communityId, Number = 0, Kind = FundEntryKind.Contribution,
            Amount = FundRules.Money(r.Amount, "amount"), UnitId = unit.Id, Date = ChinaTime.Today(time),
            Note = r.Note?.Trim() ?? "", RecordedBy = user.DisplayName(), RecordedAt = time.GetUtcNow(),
        });
        audit.Record(user, "fund.contribution", unit.Label, $"{entry.Amount:0.00} yuan");
        return entry;
    }

    public FundEntry Interest(ClaimsPrincipal user, string communityId, InterestRequest r)
    {
        user.MustServe(communityId);
        var entry = store.Append(new FundEntry
        {
            Id = "", CommunityId = communityId, Number = 0, Kind = FundEntryKind.Interest,
            Amount = FundRules.Money(r.Amount, "amount"), Date = r.Date ?? ChinaTime.Today(time),
            Note = r.Note?.Trim() ?? "", RecordedBy = user.DisplayName(), RecordedAt = time.GetUtcNow(),
        });
        audit.Record(user, "fund.interest", entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            $"{entry.Amount:0.00} yuan");
        return entry;
    }

    /// <summary>
    /// Whether money may leave for the application at all: an emergency is the manager's to spend; anything else
    /// needs the owners' passed vote, which is returned to be recorded with the withdrawal.
    /// </summary>
    private Tally? Allowed(ClaimsPrincipal user, FundApplication application)
    {
        if (application.Emergency)
        {
            if (!user.Is(Role.Manager))
                throw DomainProblem.Forbidden("fund.managers_only");
            return null;
        }
        if (application.Matter != Matter.UseFund)
            throw DomainProblem.Conflict("fund.nothing_to_spend");
        var vote = fund.Final(application);
        if (vote?.Outcome != Outcome.Passed)
            throw vote is null
                ? DomainProblem.Conflict("fund.vote_not_closed")
                : DomainProblem.Conflict("fund.vote_not_passed", new { vote.Outcome });
        return vote;
    }

    /// <summary>Within what is left of the estimate, and what the flats of its buildings hold.</summary>
    private void MustCover(FundApplication application, decimal amount)
    {
        var spent = fund.Spent(application);
        if (spent + amount > application.Estimate)
            throw DomainProblem.Conflict("fund.over_the_estimate", new { left = application.Estimate - spent });
        // The buildings the application names, or every building when it names none.
        var available = fund.Summary(application.CommunityId, null).Buildings
            .Where(b => application.Buildings.Count == 0 || application.Buildings.Contains(b.Building))
            .Sum(b => b.Balance);
        if (amount > available)
            throw DomainProblem.Conflict("fund.not_enough_in_the_fund", new { available });
    }
}
