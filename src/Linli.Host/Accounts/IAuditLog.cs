namespace Linli.Accounts;

/// <summary>The audit log: appended to, never changed or pruned; read a community at a time, newest first.</summary>
public interface IAuditLog
{
    /// <summary>Adds the entry; an entry whose id is already in the log (a retried write) changes nothing.</summary>
    void Append(AuditEntry entry);

    /// <summary>
    /// The community's entries, newest first (of one instant, the greater id first), a page at a time.
    /// </summary>
    IReadOnlyList<AuditEntry> Latest(string communityId, int skip, int take);
}
