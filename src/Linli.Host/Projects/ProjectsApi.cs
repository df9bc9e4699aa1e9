using System.Security.Claims;
using Linli.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Projects;

public sealed record LineView(string Id, MoneyLineKind Kind, FundingSource? Source, string Party, string? What,
    decimal Amount, DateOnly Date, string? Reference, string[] UploadIds, bool Refund, string? Reverses,
    string? ReversedBy, DateTimeOffset RecordedAt, string RecordedBy);

public sealed record ProjectView(string Number, string Title, string Description, decimal Budget, ProjectStatus Status,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, StatusChange[] History, LineView[] Pledges,
    LineView[] Receipts, LineView[] Expenses, ProgressUpdate[] Updates, Acceptance? Acceptance, FinalAccount Account);

public sealed record ProjectSummary(string Number, string Title, ProjectStatus Status, decimal Budget, decimal Pledged,
    decimal Received, decimal Spent, decimal Balance, DateTimeOffset UpdatedAt);

/// <summary>
/// Community projects over HTTP. Every signed-in member of the community reads them (the accounts are public to
/// owners); staff and the residents' committee write. Money lines have no update or delete route: they are reversed.
/// </summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var projects = routes.MapGroup("/api/communities/{communityId}/projects").WithTags("Projects")
            .RequireAuthorization().RequireRateLimiting(RateLimits.Writes);
        projects.MapGet("", (string communityId, ClaimsPrincipal user, ProjectService s) =>
                TypedResults.Ok(s.List(user, communityId).Select(Summary).ToArray()))
            .WithSummary("The community's projects, newest first, with their money in brief");
        projects.MapPost("", (string communityId, NewProject r, ClaimsPrincipal user, ProjectLifecycle s) =>
            {
                var p = s.Create(user, communityId, r);
                return TypedResults.Created(Path(p), View(p));
            })
            .WithSummary("A new project (Planned): title, description, budget in yuan");
        projects.MapGet("/{number}", (string communityId, string number, ClaimsPrincipal user, ProjectService s) =>
                TypedResults.Ok(View(s.Get(user, communityId, number))))
            .WithSummary("A project: pledges, receipts, expenses, progress, acceptance and the final account");
        projects.MapPost("/{number}/pledges",
            (string communityId, string number, PledgeRequest r, ClaimsPrincipal user, ProjectMoney s) =>
                Line(communityId, number, s.Pledge(user, communityId, number, r)))
            .WithSummary("A promise of money: source, funder (residents as a group), amount, date");
        projects.MapPost("/{number}/receipts",
            (string communityId, string number, ReceiptRequest r, ClaimsPrincipal user, ProjectMoney s) =>
                Line(communityId, number, s.Receive(user, communityId, number, r)))
            .WithSummary("Money received: source, funder, amount, date, reference, proof images");
        projects.MapPost("/{number}/expenses",
            (string communityId, string number, ExpenseRequest r, ClaimsPrincipal user, ProjectMoney s) =>
                Line(communityId, number, s.Spend(user, communityId, number, r)))
            .WithSummary("Money spent: what, payee, amount, date, invoices; refund=true carries the balance away");
        projects.MapPost("/{number}/reversals",
            (string communityId, string number, ReversalRequest r, ClaimsPrincipal user, ProjectMoney s) =>
                Line(communityId, number, s.Reverse(user, communityId, number, r)))
            .WithSummary("Correct a money line by its opposite, with a reason (once per line)");
        projects.MapPost("/{number}/updates",
            (string communityId, string number, UpdateRequest r, ClaimsPrincipal user, ProjectLifecycle s) =>
                TypedResults.Created(Path(communityId, number), s.Update(user, communityId, number, r)))
            .WithSummary("Progress: text and photos (images uploaded at /api/tea/files)");
        projects.MapPost("/{number}/status",
            (string communityId, string number, StatusRequest r, ClaimsPrincipal user, ProjectLifecycle s) =>
                TypedResults.Ok(View(s.ChangeStatus(user, communityId, number, r))))
            .WithSummary("The next step: Funding, InProgress, or Closed once the account balances");
        projects.MapPost("/{number}/acceptance",
            (string communityId, string number, AcceptanceRequest r, ClaimsPrincipal user, ProjectLifecycle s) =>
                TypedResults.Ok(View(s.Accept(user, communityId, number, r))))
            .WithSummary("验收 of works in progress: who accepted, date, note; the project becomes Accepted");
        projects.MapGet("/{number}/account.csv",
            (string communityId, string number, ClaimsPrincipal user, ProjectService s) =>
                TypedResults.File(ProjectCsv.Write(s.Get(user, communityId, number)),
                    "text/csv; charset=utf-8", $"{number}-决算.csv"))
            .WithSummary("The final account and every money line as CSV (UTF-8 with BOM, for Excel)");
        return routes;
    }

    private static Created<LineView> Line(string communityId, string number, MoneyLine line) =>
        TypedResults.Created(Path(communityId, number), View(line, reversedBy: null));

    private static string Path(Project p) => Path(p.CommunityId, p.Number);

    private static string Path(string communityId, string number) =>
        $"/api/communities/{Uri.EscapeDataString(communityId)}/projects/{Uri.EscapeDataString(number)}";

    private static ProjectSummary Summary(Project p)
    {
        var a = ProjectService.AccountOf(p);
        return new ProjectSummary(p.Number, p.Title, p.Status, p.Budget, a.Pledged, a.Received, a.Spent, a.Balance,
            p.UpdatedAt);
    }

    public static ProjectView View(Project p)
    {
        var reversedBy = p.Lines.Where(l => l.Reverses is not null).ToDictionary(l => l.Reverses!, l => l.Id);
        LineView[] Of(MoneyLineKind kind) =>
            [.. p.Lines.Where(l => l.Kind == kind).Select(l => View(l, reversedBy.GetValueOrDefault(l.Id)))];
        return new ProjectView(p.Number, p.Title, p.Description, p.Budget, p.Status, p.CreatedBy, p.CreatedAt,
            p.UpdatedAt, [.. p.History], Of(MoneyLineKind.Pledge), Of(MoneyLineKind.Receipt), Of(MoneyLineKind.Expense),
            [.. p.Updates], p.Acceptance, ProjectService.AccountOf(p));
    }

    private static LineView View(MoneyLine l, string? reversedBy) => new(l.Id, l.Kind, l.Source, l.Party, l.What,
        l.Amount, l.Date, l.Reference, [.. l.UploadIds], l.Refund, l.Reverses, reversedBy, l.RecordedAt, l.RecordedBy);
}
