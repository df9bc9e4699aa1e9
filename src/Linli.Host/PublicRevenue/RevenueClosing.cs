using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Hosting;
using Linli.Storage;

namespace Linli.PublicRevenue;

/// <summary>
/// The office closes a month once it is over, earlier months first: its figures are fixed then, and lines for it are
/// refused from then on.
/// </summary>
public sealed class RevenueClosing(IRevenueStore store, TimeProvider time, AuditTrail audit)
{
    public MonthClose Close(ClaimsPrincipal user, string communityId, Period period)
    {
        user.MustServe(communityId);
        // Lines recorded while a month closes make its figures stale: it is counted again.
        return Optimistic.Retry<MonthClose>(() =>
        {
            var close = Figures(user, communityId, period, out var throughNumber);
            if (!store.TryClose(close, throughNumber)) return Optimistic.Lost;
            audit.Record(user, "revenue.close", $"{period}",
                $"income {close.Income:0.00}, spending {close.Spending:0.00}");
            return close;
        }, () => DomainProblem.Conflict("revenue.the_ledger_is_busy", new { period }));
    }

    /// <summary>
    /// The month's figures as they stand, counted from the ledger through line <paramref name="throughNumber"/>; or
    /// why the month cannot close.
    /// </summary>
    private MonthClose Figures(ClaimsPrincipal user, string communityId, Period period, out int throughNumber)
    {
        if (period >= Period.Current(time))
            throw DomainProblem.Conflict("revenue.month_not_over", new { period });
        if (store.FindClose(communityId, period) is not null)
            throw DomainProblem.Conflict("revenue.already_closed", new { period });
        if (store.FirstOpenMonthBefore(communityId, period) is { } earlier)
            throw DomainProblem.Conflict("revenue.close_in_order", new { earlier });
        // Read first: a line added after it makes the close refused, never counted in half.
        throughNumber = store.LastNumber(communityId);
        // Months close in order, so the balance before the month is the last closing balance.
        var opening = store.BalanceBefore(communityId, period);
        var lines = store.Lines(communityId, period, period);
        var income = lines.Where(l => l.Kind == LineKind.Income).Sum(l => l.Amount);
        var spending = lines.Where(l => l.Kind == LineKind.Spending).Sum(l => l.Amount);
        return new MonthClose
        {
            Id = MonthClose.IdFor(communityId, period), CommunityId = communityId, Period = period,
            Opening = opening, Income = income, Spending = spending, Closing = opening + income - spending,
            ClosedAt = time.GetUtcNow(), ClosedBy = user.DisplayName(),
        };
    }
}
