using Linli.Accounts;

namespace Linli.Mediation;

/// <summary>
/// Where a community's mediation cases are kept, one document per case. Every read names its community. Each write
/// lands with its audit entry or not at all; a case is numbered by the store, without gaps, in the write that opens
/// it, and changed only from the version it was read at.
/// </summary>
public interface IMediationStore
{
    /// <summary>
    /// Numbers <paramref name="draft"/> next among the community's cases of its opening year (China time),
    /// TJ-2026-0001 and on (setting its id and number), and adds it with <paramref name="audit"/>, whose target becomes
    /// that number. Null when the complaint ticket it comes from has a case already: then no number is taken.
    /// </summary>
    MediationCase? Open(MediationCase draft, AuditEntry audit);

    MediationCase? Find(string communityId, string number);

    /// <summary>The community's cases, newest first.</summary>
    IReadOnlyList<MediationCase> List(string communityId);

    /// <summary>The community's cases the person is a party to, newest first.</summary>
    IReadOnlyList<MediationCase> ForPerson(string communityId, string personId);

    /// <summary>
    /// Replaces the case with <paramref name="changed"/> and adds <paramref name="audit"/>, if the stored one is still
    /// at <paramref name="expectedVersion"/>: false when someone changed it meanwhile, and nothing is written.
    /// </summary>
    bool TryUpdate(MediationCase changed, int expectedVersion, AuditEntry audit);
}
