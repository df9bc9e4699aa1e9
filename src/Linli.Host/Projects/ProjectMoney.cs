using System.Security.Claims;
using System.Text.RegularExpressions;
using Linli.Calendar;
using Linli.Hosting;
using Linli.People;
using static Linli.Projects.ProjectRules;

namespace Linli.Projects;

/// <summary>
/// A project's money: pledges, receipts and expenses, only ever appended; a mistake is corrected by its opposite.
/// </summary>
public sealed partial class ProjectMoney(ProjectWrites writes, IPeopleStore people, TimeProvider time)
{
    public MoneyLine Pledge(ClaimsPrincipal user, string communityId, string number, PledgeRequest request)
    {
        var (source, funder) = Funder(communityId, request.Source, request.Funder);
        var amount = Money(request.Amount, "amount");
        var date = Date(request.Date, time);
        return writes.Append(user, communityId, number, "project.pledge", (project, by, at) => new MoneyLine
        {
            Id = NextId(project, MoneyLineKind.Pledge), Kind = MoneyLineKind.Pledge, Source = source, Party = funder,
            Amount = amount, Date = date, RecordedAt = at, RecordedBy = by,
        });
    }

    public MoneyLine Receive(ClaimsPrincipal user, string communityId, string number, ReceiptRequest request)
    {
        var (source, funder) = Funder(communityId, request.Source, request.Funder);
        var amount = Money(request.Amount, "amount");
        var date = Date(request.Date, time);
        var reference = Text(request.Reference, "reference", 100, required: false);
        var proof = writes.Uploads(communityId, request.ProofUploadIds, "proofUploadIds");
        return writes.Append(user, communityId, number, "project.receipt", (project, by, at) => new MoneyLine
        {
            Id = NextId(project, MoneyLineKind.Receipt), Kind = MoneyLineKind.Receipt, Source = source, Party = funder,
            Amount = amount, Date = date, Reference = reference, UploadIds = proof, RecordedAt = at, RecordedBy = by,
        });
    }

    public MoneyLine Spend(ClaimsPrincipal user, string communityId, string number, ExpenseRequest request)
    {
        var what = Text(request.What, "what", 200)!;
        var payee = Text(request.Payee, "payee", 100)!;
        var amount = Money(request.Amount, "amount");
        var date = Date(request.Date, time);
        var reference = Text(request.Reference, "reference", 100, required: false);
        var invoices = writes.Uploads(communityId, request.InvoiceUploadIds, "invoiceUploadIds");
        var refund = request.Refund == true;
        return writes.Append(user, communityId, number, refund ? "project.refund" : "project.expense",
            (project, by, at) => new MoneyLine
            {
                Id = NextId(project, MoneyLineKind.Expense), Kind = MoneyLineKind.Expense, What = what, Party = payee,
                Amount = amount, Date = date, Reference = reference, UploadIds = invoices, Refund = refund,
                RecordedAt = at, RecordedBy = by,
            });
    }

    /// <summary>Corrects a line by its opposite: once per line, and never a reversal (record the line again).</summary>
    public MoneyLine Reverse(ClaimsPrincipal user, string communityId, string number, ReversalRequest request)
    {
        var lineId = Text(request.LineId, "lineId", 20)!;
        var reason = Text(request.Reason, "reason", 200)!;
        return writes.Append(user, communityId, number, "project.reverse", (project, by, at) =>
        {
            var line = project.Lines.Find(l => l.Id == lineId)
                ?? throw DomainProblem.NotFound("projects.line_not_found", new { number, lineId });
            if (line.Reverses is not null)
                throw Conflict("projects.reversal_stands", new { lineId, line.Reverses });
            if (project.Lines.Find(l => l.Reverses == lineId) is { } earlier)
                throw Conflict("projects.already_reversed", new { lineId, by = earlier.Id });
            return line with
            {
                Id = NextId(project, line.Kind),
                Amount = -line.Amount,
                What = $"冲销 {lineId}：{reason}",
                Date = ChinaTime.Today(time),
                UploadIds = [],
                Reverses = lineId,
                RecordedAt = at,
                RecordedBy = by,
            };
        }, line => $"{line.Reverses}: {reason}");
    }

    /// <summary>P1, R1, E1…: the kind's letter and its count within the project.</summary>
    private static string NextId(Project project, MoneyLineKind kind) =>
        $"{kind.ToString()[0]}{project.Lines.Count(l => l.Kind == kind) + 1}";

    /// <summary>
    /// A funder as the public account may show it: never a phone number, and residents only as a group
    /// ("业主自筹（126户）"), never by the name of one of them.
    /// </summary>
    private (FundingSource Source, string Funder) Funder(string communityId, string? sourceText, string? funderText)
    {
        var source = Parse<FundingSource>(sourceText, "source", "projects.unknown_source");
        var funder = Text(funderText, "funder", 100, required: source != FundingSource.ResidentContributions)
            ?? FundingSources.Chinese(source);
        if (PhoneLike().IsMatch(funder.Replace(" ", "").Replace("-", "")))
            throw Invalid("funder", "projects.funder_phone");
        if (source == FundingSource.ResidentContributions && people.AnyResidentNamedIn(communityId, funder))
            throw Invalid("funder", "projects.funder_a_group");
        return (source, funder);
    }

    [GeneratedRegex(@"\d{7,}")]
    private static partial Regex PhoneLike();
}
