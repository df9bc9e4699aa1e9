using System.Security.Claims;
using Linli.Accounts;
using Linli.Storage;
using Linli.Uploads;
using static Linli.Projects.ProjectRules;

namespace Linli.Projects;

/// <summary>
/// What every write to a project shares: staff and the committee only, a closed project takes nothing, and the
/// project is saved whole with its audit entry, from the version it was read at.
/// </summary>
public sealed class ProjectWrites(IProjectStore store, ProjectService projects, UploadStore uploads,
    TimeProvider time)
{
    public const int MaxUploads = 9;

    /// <summary>Appends the money line <paramref name="make"/> makes of the project as it stands.</summary>
    internal MoneyLine Append(ClaimsPrincipal user, string communityId, string number, string action,
        Func<Project, string, DateTimeOffset, MoneyLine> make, Func<MoneyLine, string>? detail = null) =>
        Write(user, communityId, number, action, (project, by, at) =>
        {
            var line = make(project, by, at);
            project.Lines.Add(line);
            return (project, line, detail?.Invoke(line) ?? $"{line.Id} {line.Party} {line.Amount:0.00}");
        });

    /// <summary>
    /// Reads, changes, saves and audits a project as one; a closed project takes nothing. When someone else's change
    /// lands in between, <paramref name="change"/> runs again on the project as they left it.
    /// </summary>
    internal T Write<T>(ClaimsPrincipal user, string communityId, string number, string action,
        Func<Project, string, DateTimeOffset, (Project Saved, T Result, string Detail)> change)
    {
        ProjectService.Manager(user, communityId);
        return Optimistic.Retry<T>(() =>
        {
            var project = projects.Get(user, communityId, number);
            if (project.Status == ProjectStatus.Closed)
                throw Conflict("projects.closed", new { number });
            var at = time.GetUtcNow();
            var read = project.Version;
            var (saved, result, detail) = change(project, user.DisplayName(), at);
            var entry = Audit(user, action, number, detail, at);
            if (store.TryUpdate(saved with { UpdatedAt = at, Version = read + 1 }, read, entry)) return result;
            return Optimistic.Lost;
        }, () => Conflict("projects.changed_meanwhile", new { number }));
    }

    /// <summary>
    /// Proofs uploaded to this community (through <c>/api/communities/{id}/proofs</c>); anything else is refused.
    /// </summary>
    internal List<string> Uploads(string communityId, string[]? ids, string field)
    {
        var given = (ids ?? []).Distinct().ToList();
        if (given.Count > MaxUploads) throw Invalid(field, "projects.too_many_files", new { max = MaxUploads });
        foreach (var id in given)
            if (!uploads.IsProofOf(id, communityId))
                throw Invalid(field, "projects.unknown_proof", new { id });
        return given;
    }

    /// <summary>The audit entry that lands with the write, as the audit trail records one.</summary>
    internal static AuditEntry Audit(ClaimsPrincipal user, string action, string target, string detail,
        DateTimeOffset at) => new()
        {
            Id = Ids.New(), At = at, CommunityId = user.CommunityId() ?? "", PersonId = user.PersonId() ?? "",
            Name = user.DisplayName(), Action = action, Target = target, Detail = detail,
        };
}
