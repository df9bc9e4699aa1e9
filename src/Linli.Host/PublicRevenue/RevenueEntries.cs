using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Hosting;
using Linli.Uploads;

namespace Linli.PublicRevenue;

/// <summary>
/// The office writes the ledger: a line of income or spending, or the reversal that cancels one. Lines are appended
/// and never changed; a closed month takes no more.
/// </summary>
public sealed class RevenueEntries(IRevenueStore store, TimeProvider time, AuditTrail audit, UploadStore uploads)
{
    private const int MaxProofs = 10;
    private const decimal MaxAmount = 100_000_000m;

    public LedgerLine Record(ClaimsPrincipal user, string communityId, NewLine request)
    {
        user.MustServe(communityId);
        var line = Append(Draft(communityId, request), user.DisplayName());
        audit.Record(user, "revenue.line", $"{line.Number}",
            $"{line.Kind} {line.Period} {line.Amount:0.00} {line.Counterparty}");
        return line;
    }

    /// <summary>
    /// Cancels a line by adding its opposite. The reversal belongs to the line's month while that month is open, else
    /// to <paramref name="request"/>'s period or this month: a closed month's figures never move.
    /// </summary>
    public LedgerLine Reverse(ClaimsPrincipal user, string communityId, int number, ReversalRequest request)
    {
        user.MustServe(communityId);
        var note = RevenueRules.Text(request.Note, "revenue.reversal_note_needed");
        var line = store.FindLine(communityId, number)
            ?? throw DomainProblem.NotFound("revenue.no_such_line", new { number });
        if (line.Reverses is not null)
            throw DomainProblem.Conflict("revenue.a_reversal");
        var period = request.Period is not null ? RevenueRules.Month(request.Period, time)
            : store.FindClose(communityId, line.Period) is null ? line.Period
            : Period.Current(time);
        var opposite = line with
        {
            Period = period,
            Amount = -line.Amount,
            Note = note,
            Proofs = [],
            Reverses = number,
        };
        var reversal = Append(opposite, user.DisplayName());
        audit.Record(user, "revenue.reverse", $"{number}", $"by line {reversal.Number}: {note}");
        return reversal;
    }

    /// <summary>Appends a line as recorded by <paramref name="by"/>, numbered next; the month must be open.</summary>
    private LedgerLine Append(LedgerLine draft, string by) =>
        store.TryAppend(draft with { RecordedAt = time.GetUtcNow(), RecordedBy = by })
            ?? throw DomainProblem.Conflict("revenue.month_closed", new { period = draft.Period });

    private LedgerLine Draft(string communityId, NewLine r)
    {
        var kind = EnumNames.Parse<LineKind>(r.Kind, "kind", "revenue.unknown_kind");
        RevenueSource? source = kind == LineKind.Income
            ? RevenueRules.Parse<RevenueSource>(r.Source, "source")
            : null;
        SpendingPurpose? purpose = kind == LineKind.Spending
            ? RevenueRules.Parse<SpendingPurpose>(r.Purpose, "purpose")
            : null;
        if (r.Amount is not { } amount || amount <= 0 || amount != decimal.Round(amount, 2) || amount > MaxAmount)
            throw DomainProblem.Bad("revenue.bad_amount");
        var proofs = r.Proofs ?? [];
        if (proofs.Length > MaxProofs || proofs.Any(p => !uploads.IsProofOf(p, communityId)))
            throw DomainProblem.Bad("revenue.unknown_proof", new { maxProofs = MaxProofs });
        var counterparty = RevenueRules.Text(r.Counterparty, "revenue.counterparty_needed");
        var period = RevenueRules.Month(r.Period, time);
        var note = RevenueRules.Note(r.Note);
        return new LedgerLine
        {
            Id = "", CommunityId = communityId, Number = 0, Kind = kind, Source = source, Purpose = purpose,
            Counterparty = counterparty, Period = period, Amount = amount, Note = note,
            Proofs = [.. proofs], RecordedAt = default, RecordedBy = "",
        };
    }
}
