using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Fees;
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
        var note = RevenueRules.Text(request.Note, "note", "Say why the line is reversed.");
        var line = store.FindLine(communityId, number)
            ?? throw DomainProblem.NotFound("No such line", $"There is no line {number} in the ledger.");
        if (line.Reverses is not null)
            throw DomainProblem.Conflict("A reversal", "A reversing line is not reversed; add a new line.");
        var period = request.Period is not null ? RevenueRules.Month(request.Period, time)
            : store.FindClose(communityId, line.Period) is null ? line.Period
            : Period.Current(time);
        var opposite = line with
        {
            Period = period, Amount = -line.Amount, Note = note, Proofs = [], Reverses = number,
        };
        var reversal = Append(opposite, user.DisplayName());
        audit.Record(user, "revenue.reverse", $"{number}", $"by line {reversal.Number}: {note}");
        return reversal;
    }

    /// <summary>Appends a line as recorded by <paramref name="by"/>, numbered next; the month must be open.</summary>
    private LedgerLine Append(LedgerLine draft, string by) =>
        store.TryAppend(draft with { RecordedAt = time.GetUtcNow(), RecordedBy = by })
            ?? throw DomainProblem.Conflict("Month closed",
                $"{draft.Period} is closed; correct it with a reversing line in an open month.");

    private LedgerLine Draft(string communityId, NewLine r)
    {
        if (!Enum.TryParse<LineKind>(r.Kind, true, out var kind) || int.TryParse(r.Kind, out _))
            throw DomainProblem.Bad("Unknown kind", "kind is Income or Spending.");
        RevenueSource? source = kind == LineKind.Income
            ? RevenueRules.Parse<RevenueSource>(r.Source, "source")
            : null;
        SpendingPurpose? purpose = kind == LineKind.Spending
            ? RevenueRules.Parse<SpendingPurpose>(r.Purpose, "purpose")
            : null;
        if (r.Amount is not { } amount || amount <= 0 || amount != decimal.Round(amount, 2) || amount > MaxAmount)
            throw DomainProblem.Bad("Bad amount", "amount is yuan above zero, to the fen (at most two decimals).");
        var proofs = r.Proofs ?? [];
        if (proofs.Length > MaxProofs || proofs.Any(p => !uploads.IsProofOf(p, communityId)))
            throw DomainProblem.Bad("Unknown proof",
                $"Upload each proof first (at most {MaxProofs} per line), then name its id.");
        var counterparty = RevenueRules.Text(r.Counterparty, "counterparty", "Name who paid or was paid.");
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
