using System.Security.Claims;
using System.Text.RegularExpressions;
using Linli.Accounts;
using Linli.People;
using Linli.Storage;
using Linli.Uploads;

namespace Linli.Projects;

public sealed record NewProject(string? Title, string? Description, decimal? Budget);

public sealed record PledgeRequest(string? Source, string? Funder, decimal? Amount, DateOnly? Date);

public sealed record ReceiptRequest(string? Source, string? Funder, decimal? Amount, DateOnly? Date, string? Reference,
    string[]? ProofUploadIds);

/// <param name="Refund">The balance carried away: Payee names where it went (returned to funders, to the fund).</param>
public sealed record ExpenseRequest(string? What, string? Payee, decimal? Amount, DateOnly? Date, string? Reference,
    string[]? InvoiceUploadIds, bool? Refund);

public sealed record ReversalRequest(string? LineId, string? Reason);

public sealed record UpdateRequest(string? Text, string[]? PhotoUploadIds);

public sealed record StatusRequest(string? Status);

public sealed record AcceptanceRequest(string? AcceptedBy, DateOnly? Date, string? Note);

/// <summary>
/// Community projects and their open accounts (业账社审): staff and the residents' committee record; every member of
/// the community reads. Money lines are only ever appended; every write is audited in the same transaction.
/// </summary>
public sealed partial class ProjectService(LinliDatabase db, UploadStore uploads, AuditTrail audit, TimeProvider time)
{
    public const decimal MaxAmount = 100_000_000m;
    public const int MaxUploads = 9;
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    // One writer at a time: every write reads a project, appends and saves it whole.
    private readonly Lock _writes = new();

    /// <summary>Staff of the community and its residents' committee.</summary>
    public static bool MayManage(ClaimsPrincipal user, string communityId) =>
        user.Serves(communityId) || user.CommunityId() == communityId && user.Is(Role.Committee);

    public List<Project> List(ClaimsPrincipal user, string communityId)
    {
        Member(user, communityId);
        return [.. db.Projects.Find(p => p.CommunityId == communityId).OrderByDescending(p => p.CreatedAt)];
    }

    public Project Get(ClaimsPrincipal user, string communityId, string number)
    {
        Member(user, communityId);
        return db.Projects.FindById(Key(communityId, number))
            ?? throw new ProjectException(404, "Project not found", $"No project {number} in this community.");
    }

    public Project Create(ClaimsPrincipal user, string communityId, NewProject request)
    {
        Manager(user, communityId);
        var title = Text(request.Title, "title", 100)!;
        var description = Text(request.Description, "description", 2000, required: false) ?? "";
        var budget = Money(request.Budget, "budget");
        lock (_writes)
        {
            var now = time.GetUtcNow();
            var prefix = $"XM-{Today():yyyy}-";
            var count = db.Projects.Count(p => p.CommunityId == communityId && p.Number.StartsWith(prefix));
            var number = $"{prefix}{count + 1:00}";
            var project = new Project
            {
                Id = Key(communityId, number), CommunityId = communityId, Number = number, Title = title,
                Description = description, Budget = budget, CreatedById = user.PersonId() ?? "",
                CreatedBy = user.DisplayName(), CreatedAt = now, UpdatedAt = now,
            };
            return db.InTransaction(() =>
            {
                db.Projects.Insert(project);
                audit.Record(user, "project.create", number, $"{title}, budget {budget:0.00}");
                return project;
            });
        }
    }

    public MoneyLine Pledge(ClaimsPrincipal user, string communityId, string number, PledgeRequest request)
    {
        var (source, funder) = Funder(communityId, request.Source, request.Funder);
        var amount = Money(request.Amount, "amount");
        var date = Date(request.Date);
        return Append(user, communityId, number, "project.pledge", (project, by, at) => new MoneyLine
        {
            Id = NextId(project, MoneyLineKind.Pledge), Kind = MoneyLineKind.Pledge, Source = source, Party = funder,
            Amount = amount, Date = date, RecordedAt = at, RecordedBy = by,
        });
    }

    public MoneyLine Receive(ClaimsPrincipal user, string communityId, string number, ReceiptRequest request)
    {
        var (source, funder) = Funder(communityId, request.Source, request.Funder);
        var amount = Money(request.Amount, "amount");
        var date = Date(request.Date);
        var reference = Text(request.Reference, "reference", 100, required: false);
        var proof = Uploads(communityId, request.ProofUploadIds, "proofUploadIds");
        return Append(user, communityId, number, "project.receipt", (project, by, at) => new MoneyLine
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
        var date = Date(request.Date);
        var reference = Text(request.Reference, "reference", 100, required: false);
        var invoices = Uploads(communityId, request.InvoiceUploadIds, "invoiceUploadIds");
        return Append(user, communityId, number, request.Refund == true ? "project.refund" : "project.expense",
            (project, by, at) => new MoneyLine
            {
                Id = NextId(project, MoneyLineKind.Expense), Kind = MoneyLineKind.Expense, What = what, Party = payee,
                Amount = amount, Date = date, Reference = reference, UploadIds = invoices,
                Refund = request.Refund == true, RecordedAt = at, RecordedBy = by,
            });
    }

    /// <summary>Corrects a line by its opposite: once per line, and never a reversal (record the line again).</summary>
    public MoneyLine Reverse(ClaimsPrincipal user, string communityId, string number, ReversalRequest request)
    {
        var lineId = Text(request.LineId, "lineId", 20)!;
        var reason = Text(request.Reason, "reason", 200)!;
        return Append(user, communityId, number, "project.reverse", (project, by, at) =>
        {
            var line = project.Lines.Find(l => l.Id == lineId)
                ?? throw new ProjectException(404, "Line not found", $"{number} has no line {lineId}.");
            if (line.Reverses is not null)
                throw Conflict("A reversal stands", $"{lineId} reverses {line.Reverses}: record the line again.");
            if (project.Lines.Find(l => l.Reverses == lineId) is { } earlier)
                throw Conflict("Already reversed", $"{lineId} was reversed by {earlier.Id}.");
            return line with
            {
                Id = NextId(project, line.Kind), Amount = -line.Amount, What = $"冲销 {lineId}：{reason}",
                Date = Today(), UploadIds = [], Reverses = lineId, RecordedAt = at, RecordedBy = by,
            };
        }, line => $"{line.Reverses}: {reason}");
    }

    public ProgressUpdate Update(ClaimsPrincipal user, string communityId, string number, UpdateRequest request)
    {
        var text = Text(request.Text, "text", 2000)!;
        var photos = Uploads(communityId, request.PhotoUploadIds, "photoUploadIds");
        return Write(user, communityId, number, "project.update", (project, by, at) =>
        {
            var update = new ProgressUpdate { Text = text, PhotoIds = photos, At = at, By = by };
            project.Updates.Add(update);
            return (project, update, $"{photos.Count} photos");
        });
    }

    public Project ChangeStatus(ClaimsPrincipal user, string communityId, string number, StatusRequest request)
    {
        const string steps = "status is Funding, InProgress or Closed; record an acceptance at …/acceptance.";
        var to = Parse<ProjectStatus>(request.Status, "status", steps);
        if (to is ProjectStatus.Planned or ProjectStatus.Accepted) throw Invalid("status", steps);
        return Write(user, communityId, number, "project.status", (project, by, at) =>
        {
            var from = project.Status;
            if (to != from + 1)
                throw Conflict("Not the next step", $"{project.Number} is {from}; it cannot go to {to}.");
            if (to == ProjectStatus.Closed && AccountOf(project) is { Balanced: false } account)
                throw Conflict("The account does not balance", $"Received − spent is {account.Balance:0.00} yuan. " +
                    "Record what is left as a refund expense naming where it went (funders, the fund), then close.");
            var moved = Move(project, to, by, at);
            return (moved, moved, $"{from} → {to}");
        });
    }

    public Project Accept(ClaimsPrincipal user, string communityId, string number, AcceptanceRequest request)
    {
        var acceptedBy = Text(request.AcceptedBy, "acceptedBy", 500)!;
        var note = Text(request.Note, "note", 1000, required: false);
        var date = Date(request.Date);
        return Write(user, communityId, number, "project.accept", (project, by, at) =>
        {
            if (project.Status != ProjectStatus.InProgress)
                throw Conflict("Not in progress", $"{project.Number} is {project.Status}; accept works in progress.");
            var accepted = Move(project, ProjectStatus.Accepted, by, at) with
            {
                Acceptance = new Acceptance
                {
                    AcceptedBy = acceptedBy, Date = date, Note = note, RecordedAt = at, RecordedBy = by,
                },
            };
            return (accepted, accepted, acceptedBy);
        });
    }

    /// <summary>The final account of a project by its id ("{communityId}/{number}"), whatever its status.</summary>
    public FinalAccount FinalAccount(string projectId) =>
        AccountOf(db.Projects.FindById(projectId)
            ?? throw new ProjectException(404, "Project not found", $"No project {projectId}."));

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
        [.. db.Projects.Find(p => p.CommunityId == communityId && p.Status != ProjectStatus.Closed)
            .OrderByDescending(p => p.CreatedAt).Select(p =>
            {
                var account = AccountOf(p);
                var last = p.Updates.LastOrDefault();
                return new ProjectProgress(p.Number, p.Title, p.Status, p.Budget, account.Pledged, account.Received,
                    account.Spent, decimal.Round(account.Received * 100 / p.Budget, 1), last?.Text, last?.At);
            })];

    // ---- rules shared by the writes ----

    private MoneyLine Append(ClaimsPrincipal user, string communityId, string number, string action,
        Func<Project, string, DateTimeOffset, MoneyLine> make, Func<MoneyLine, string>? detail = null) =>
        Write(user, communityId, number, action, (project, by, at) =>
        {
            var line = make(project, by, at);
            project.Lines.Add(line);
            return (project, line, detail?.Invoke(line) ?? $"{line.Id} {line.Party} {line.Amount:0.00}");
        });

    /// <summary>Reads, changes, saves and audits a project as one; a closed project takes nothing.</summary>
    private T Write<T>(ClaimsPrincipal user, string communityId, string number, string action,
        Func<Project, string, DateTimeOffset, (Project Saved, T Result, string Detail)> change)
    {
        Manager(user, communityId);
        lock (_writes)
        {
            var project = Get(user, communityId, number);
            if (project.Status == ProjectStatus.Closed)
                throw Conflict("The project is closed", $"{number} is closed; its account is final.");
            var at = time.GetUtcNow();
            var (saved, result, detail) = change(project, user.DisplayName(), at);
            return db.InTransaction(() =>
            {
                db.Projects.Update(saved with { UpdatedAt = at });
                audit.Record(user, action, number, detail);
                return result;
            });
        }
    }

    private static Project Move(Project project, ProjectStatus to, string by, DateTimeOffset at)
    {
        project.History.Add(new StatusChange { From = project.Status, To = to, At = at, By = by });
        return project with { Status = to };
    }

    private static string NextId(Project project, MoneyLineKind kind) =>
        $"{kind.ToString()[0]}{project.Lines.Count(l => l.Kind == kind) + 1}";

    private static string Key(string communityId, string number) => $"{communityId}/{number.Trim().ToUpperInvariant()}";

    /// <summary>Other communities are not told a project exists: 404 to them, as to a wrong number.</summary>
    private static void Member(ClaimsPrincipal user, string communityId)
    {
        if (user.CommunityId() != communityId)
            throw new ProjectException(404, "Community not found", $"You are not a member of '{communityId}'.");
    }

    private static void Manager(ClaimsPrincipal user, string communityId)
    {
        Member(user, communityId);
        if (!MayManage(user, communityId))
            throw new ProjectException(403, "Staff and the committee record",
                "Residents read projects; staff and the residents' committee record them.");
    }

    /// <summary>
    /// A funder as the public account may show it: never a phone number, and residents only as a group
    /// ("业主自筹（126户）"), never by the name of one of them.
    /// </summary>
    private (FundingSource Source, string Funder) Funder(string communityId, string? sourceText, string? funderText)
    {
        var source = Parse<FundingSource>(sourceText, "source",
            $"source is one of {string.Join(", ", Enum.GetNames<FundingSource>())}.");
        var funder = Text(funderText, "funder", 100, required: source != FundingSource.ResidentContributions)
            ?? FundingSources.Chinese(source);
        if (PhoneLike().IsMatch(funder.Replace(" ", "").Replace("-", "")))
            throw Invalid("funder", "A funder is named without a phone number.");
        if (source == FundingSource.ResidentContributions && db.People
                .Find(p => p.CommunityId == communityId && p.Title == null && !p.IsOrganization)
                .FirstOrDefault(p => p.Name.Length > 1 && funder.Contains(p.Name)) is not null)
            throw Invalid("funder", "Residents' money is named as a group, e.g. 业主自筹（126户）, never by a person.");
        return (source, funder);
    }

    [GeneratedRegex(@"\d{7,}")]
    private static partial Regex PhoneLike();

    private static decimal Money(decimal? amount, string field) =>
        amount is { } a && a > 0 && a <= MaxAmount && decimal.Round(a, 2) == a
            ? decimal.Round(a, 2)
            : throw Invalid(field, $"A positive amount in yuan to the fen (two decimals at most), to {MaxAmount:0}.");

    private static string? Text(string? text, string field, int max, bool required = true)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return required ? throw Invalid(field, $"{field} is required.") : null;
        return trimmed.Length <= max ? trimmed : throw Invalid(field, $"{field} is at most {max} characters.");
    }

    private DateOnly Date(DateOnly? date) =>
        date is not { } d ? Today() : d <= Today() ? d : throw Invalid("date", "A date that has come (China time).");

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(China).DateTime);

    /// <summary>
    /// Proofs uploaded to this community (through <c>/api/communities/{id}/proofs</c>); anything else is refused.
    /// </summary>
    private List<string> Uploads(string communityId, string[]? ids, string field)
    {
        var given = (ids ?? []).Distinct().ToList();
        if (given.Count > MaxUploads) throw Invalid(field, $"At most {MaxUploads} files.");
        foreach (var id in given)
            if (!uploads.IsProofOf(id, communityId))
                throw Invalid(field, $"'{id}' is not a proof uploaded to this community.");
        return given;
    }

    /// <summary>A member by its name alone: Enum.TryParse also takes "3" and "Funding, InProgress".</summary>
    private static T Parse<T>(string? text, string field, string detail) where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<T>(name) : throw Invalid(field, detail);

    private static ProjectException Invalid(string field, string detail) => new(400, "Invalid " + field, detail, field);

    private static ProjectException Conflict(string title, string detail) => new(409, title, detail);
}
