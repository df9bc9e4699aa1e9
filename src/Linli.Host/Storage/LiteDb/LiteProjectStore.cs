using Linli.Accounts;
using Linli.Projects;

namespace Linli.Storage.LiteDb;

public sealed class LiteProjectStore(LinliDatabase db) : IProjectStore
{
    // A check and the write it allows go together: one such write at a time, each in its transaction (LiteDB reads
    // outside a write lock, so two transactions alone could both pass the check).
    private readonly Lock _writes = new();

    public Project Create(Project draft, AuditEntry audit)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                // Projects are never removed, so counting the year's numbers gives the next one without a gap.
                var prefix = Project.YearPrefix(draft.CreatedAt);
                var count = db.Projects.Count(p => p.CommunityId == draft.CommunityId && p.Number.StartsWith(prefix));
                var number = Project.NumberFor(draft.CreatedAt, count + 1);
                var project = draft with { Id = Project.IdFor(draft.CommunityId, number), Number = number };
                db.Projects.Insert(project);
                db.AuditLog.Insert(audit with { Target = number });
                return project;
            });
    }

    public Project? Find(string communityId, string number) =>
        db.Projects.FindById(Project.IdFor(communityId, number));

    public IReadOnlyList<Project> List(string communityId, bool openOnly = false)
    {
        var projects = db.Projects.Query().Where(p => p.CommunityId == communityId);
        if (openOnly) projects = projects.Where(p => p.Status != ProjectStatus.Closed);
        return projects.OrderByDescending(p => p.CreatedAt).ToList();
    }

    public bool TryUpdate(Project project, int expectedVersion, AuditEntry audit)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                if (db.Projects.FindById(project.Id) is not { } stored || stored.CommunityId != project.CommunityId
                    || stored.Version != expectedVersion)
                    return false;
                db.Projects.Update(project);
                db.AuditLog.Insert(audit);
                return true;
            });
    }
}
