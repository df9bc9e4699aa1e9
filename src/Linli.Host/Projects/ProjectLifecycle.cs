using System.Security.Claims;
using Linli.Accounts;
using static Linli.Projects.ProjectRules;

namespace Linli.Projects;

/// <summary>
/// A project from its creation to its close: progress updates with photos, and its steps forward, one at a time
/// (Planned → Funding → InProgress → Accepted by recording the acceptance → Closed once the account balances).
/// </summary>
public sealed class ProjectLifecycle(ProjectWrites writes, IProjectStore store, TimeProvider time)
{
    /// <summary>A new project (Planned), numbered XM-{year}-{nn} in its community.</summary>
    public Project Create(ClaimsPrincipal user, string communityId, NewProject request)
    {
        ProjectService.Manager(user, communityId);
        var title = Text(request.Title, "title", 100)!;
        var description = Text(request.Description, "description", 2000, required: false) ?? "";
        var budget = Money(request.Budget, "budget");
        var now = time.GetUtcNow();
        var draft = new Project
        {
            Id = "", CommunityId = communityId, Number = "", Title = title, Description = description,
            Budget = budget, CreatedById = user.PersonId() ?? "", CreatedBy = user.DisplayName(), CreatedAt = now,
            UpdatedAt = now,
        };
        // The store numbers it and names the number as the audit entry's target.
        var audit = ProjectWrites.Audit(user, "project.create", "", $"{title}, budget {budget:0.00}", now);
        return store.Create(draft, audit);
    }

    public ProgressUpdate Update(ClaimsPrincipal user, string communityId, string number, UpdateRequest request)
    {
        var text = Text(request.Text, "text", 2000)!;
        var photos = writes.Uploads(communityId, request.PhotoUploadIds, "photoUploadIds");
        return writes.Write(user, communityId, number, "project.update", (project, by, at) =>
        {
            var update = new ProgressUpdate { Text = text, PhotoIds = photos, At = at, By = by };
            project.Updates.Add(update);
            return (project, update, $"{photos.Count} photos");
        });
    }

    public Project ChangeStatus(ClaimsPrincipal user, string communityId, string number, StatusRequest request)
    {
        var to = Parse<ProjectStatus>(request.Status, "status", "projects.status_steps");
        if (to is ProjectStatus.Planned or ProjectStatus.Accepted) throw Invalid("status", "projects.status_steps");
        return writes.Write(user, communityId, number, "project.status", (project, by, at) =>
        {
            var from = project.Status;
            if (to != from + 1)
                throw Conflict("projects.not_the_next_step", new { project.Number, from, to });
            if (to == ProjectStatus.Closed && ProjectService.AccountOf(project) is { Balanced: false } account)
                throw Conflict("projects.does_not_balance", new { account.Balance });
            var moved = Move(project, to, by, at);
            return (moved, moved, $"{from} → {to}");
        });
    }

    public Project Accept(ClaimsPrincipal user, string communityId, string number, AcceptanceRequest request)
    {
        var acceptedBy = Text(request.AcceptedBy, "acceptedBy", 500)!;
        var note = Text(request.Note, "note", 1000, required: false);
        var date = Date(request.Date, time);
        return writes.Write(user, communityId, number, "project.accept", (project, by, at) =>
        {
            if (project.Status != ProjectStatus.InProgress)
                throw Conflict("projects.not_in_progress", new { project.Number, project.Status });
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

    private static Project Move(Project project, ProjectStatus to, string by, DateTimeOffset at)
    {
        project.History.Add(new StatusChange { From = project.Status, To = to, At = at, By = by });
        return project with { Status = to };
    }
}
