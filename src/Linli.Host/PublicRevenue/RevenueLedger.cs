using System.Globalization;
using System.Security.Claims;
using System.Text;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Hosting;
using Linli.People;
using Microsoft.Extensions.Options;

namespace Linli.PublicRevenue;

/// <summary>
/// The public revenue ledger (公共收益) as every member of the community reads it: months with their lines, totals
/// and audit status, and the lines as a spreadsheet. The office writes it (<see cref="RevenueEntries"/>) and closes
/// its months (<see cref="RevenueClosing"/>); the owners audit it (<see cref="RevenueAudit"/>).
/// </summary>
public sealed class RevenueLedger(IRevenueStore store, IOptions<RevenueOptions> options)
{
    public MonthView Month(ClaimsPrincipal user, string communityId, Period period)
    {
        user.MustBelongTo(communityId);
        return MonthOf(communityId, period, user.Serves(communityId));
    }

    /// <param name="staff">
    /// Staff answer auditors and read their names; owners read them as the tea table shows neighbours.
    /// </param>
    public MonthView MonthOf(string communityId, Period period, bool staff = false)
    {
        var lines = store.Lines(communityId, period, period);
        var close = store.FindClose(communityId, period);
        var opening = close?.Opening ?? store.BalanceBefore(communityId, period);
        var (income, spending) = (Sum(lines, LineKind.Income), Sum(lines, LineKind.Spending));
        var signed = store.SignOffs(communityId, period);
        var objections = store.Objections(communityId, period);
        string Name(string name) => staff ? name : NameMask.Mask(name);
        return new MonthView(period, StatusOf(close, objections, signed.Count), opening, income, spending,
            opening + income - spending,
            Totals(lines, LineKind.Income, l => l.Source!.Value.ToString()),
            Totals(lines, LineKind.Spending, l => l.Purpose!.Value.ToString()),
            [.. lines], [.. signed.Select(s => Name(s.Name))], options.Value.RequiredSignOffs,
            [.. objections.Select(o => new ObjectionView(o.Id, o.LineNumber, Name(o.Name), o.Text, o.At,
                o.Answer, o.AnsweredBy, o.AnsweredAt))],
            close?.ClosedAt);
    }

    public List<MonthSummary> Months(ClaimsPrincipal user, string communityId, Period from, Period to)
    {
        user.MustBelongTo(communityId);
        return Months(communityId, from, to);
    }

    public List<MonthSummary> Months(string communityId, Period from, Period to)
    {
        var byMonth = store.Lines(communityId, from, to).ToLookup(l => l.Period);
        var balance = store.BalanceBefore(communityId, from);
        var months = new List<MonthSummary>();
        for (var p = from; p <= to; p = p.AddMonths(1))
        {
            var lines = byMonth[p].ToList();
            var (income, spending) = (Sum(lines, LineKind.Income), Sum(lines, LineKind.Spending));
            balance += income - spending;
            months.Add(new MonthSummary(p, Status(communityId, p), income, spending, balance));
        }
        return months;
    }

    public MonthStatus Status(string communityId, Period period)
    {
        var close = store.FindClose(communityId, period);
        if (close is null) return MonthStatus.Open;
        return StatusOf(close, store.Objections(communityId, period), store.SignOffs(communityId, period).Count);
    }

    /// <summary>The ledger as a spreadsheet opens it: UTF-8 with a byte-order mark, one row per line.</summary>
    public string Csv(ClaimsPrincipal user, string communityId, Period from, Period to)
    {
        user.MustBelongTo(communityId);
        var csv = new StringBuilder("\uFEFF编号 No.,月份 Month,类别 Kind,来源/用途 Source/Purpose," +
            "对方 Counterparty,金额 Amount,冲销 Reverses,说明 Note,凭证 Proofs," +
            "记录人 By,记录时间 Recorded\r\n");
        foreach (var l in store.Lines(communityId, from, to))
            csv.AppendJoin(',', new[]
            {
                l.Number.ToString(CultureInfo.InvariantCulture),
                l.Period.ToString(),
                l.Kind.ToString(),
                (l.Source?.ToString() ?? l.Purpose?.ToString())!,
                Cell(l.Counterparty),
                l.Signed.ToString("0.00", CultureInfo.InvariantCulture),
                l.Reverses?.ToString(CultureInfo.InvariantCulture) ?? "",
                Cell(l.Note),
                l.Proofs.Count.ToString(CultureInfo.InvariantCulture),
                Cell(l.RecordedBy),
                l.RecordedAt.InChina().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            }).Append("\r\n");
        return csv.ToString();
    }

    /// <summary>
    /// Open until closed; then objected while an objection waits for its answer, and audited once signed enough.
    /// </summary>
    private MonthStatus StatusOf(MonthClose? close, IEnumerable<Objection> objections, int signOffs) =>
        close is null ? MonthStatus.Open
        : objections.Any(o => o.Answer is null) ? MonthStatus.Objected
        : signOffs >= options.Value.RequiredSignOffs ? MonthStatus.Audited
        : MonthStatus.Pending;

    private static decimal Sum(IEnumerable<LedgerLine> lines, LineKind kind) =>
        lines.Where(l => l.Kind == kind).Sum(l => l.Amount);

    private static SourceTotal[] Totals(IEnumerable<LedgerLine> lines, LineKind kind, Func<LedgerLine, string> key) =>
        [.. lines.Where(l => l.Kind == kind).GroupBy(key).Select(g => new SourceTotal(g.Key, g.Sum(l => l.Amount)))
            .Where(t => t.Amount != 0).OrderByDescending(t => t.Amount)];

    /// <summary>A spreadsheet cell: quoted, and never read as a formula.</summary>
    private static string Cell(string text)
    {
        var safe = text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;
        return "\"" + safe.Replace("\"", "\"\"") + "\"";
    }
}
