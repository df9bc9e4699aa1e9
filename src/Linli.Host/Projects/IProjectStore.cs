using Linli.Accounts;

namespace Linli.Projects;

/// <summary>
/// Where a community's projects are kept: one document per project, its money lines, updates and history inside.
/// Every read names its community. Each write lands with its audit entry or not at all; a project is numbered by the
/// store, without gaps, in the write that adds it, and changed only from the version it was read at.
/// </summary>
public interface IProjectStore
{
    /// <summary>
    /// Numbers <paramref name="draft"/> next among the community's projects of its creation year, XM-2026-01 and on
    /// (setting its id and number), and adds it with <paramref name="audit"/>, whose target becomes that number.
    /// </summary>
    Project Create(Project draft, AuditEntry audit);

    Project? Find(string communityId, string number);

    /// <summary>The community's projects, newest first; those not closed when <paramref name="openOnly"/>.</summary>
    IReadOnlyList<Project> List(string communityId, bool openOnly = false);

    /// <summary>
    /// Replaces the project with <paramref name="project"/> and adds <paramref name="audit"/>, if the stored one is
    /// still at <paramref name="expectedVersion"/>: false when someone changed it meanwhile, and nothing is written.
    /// </summary>
    bool TryUpdate(Project project, int expectedVersion, AuditEntry audit);
}
