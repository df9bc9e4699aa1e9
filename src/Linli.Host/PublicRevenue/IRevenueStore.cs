using Linli.Calendar;

namespace Linli.PublicRevenue;

/// <summary>
/// Where a community's public revenue ledger is kept: its lines, month closes, sign-offs, objections and the owner
/// auditors. Every read names its community. Lines are only ever added (there is no way here to change or remove one),
/// numbered by the store without gaps in the same write that adds them; writes whose check and write must not be
/// split (a line for an open month, a close of figures that are still true) are single methods that say when they
/// refused.
/// </summary>
public interface IRevenueStore
{
    // ---- lines ----

    /// <summary>
    /// Numbers <paramref name="draft"/> next in its community's ledger (setting its id and number) and adds it, unless
    /// its month is closed: null then, and no number is taken.
    /// </summary>
    LedgerLine? TryAppend(LedgerLine draft);

    /// <summary>The number of the community's last line; 0 before its first.</summary>
    int LastNumber(string communityId);

    LedgerLine? FindLine(string communityId, int number);

    /// <summary>
    /// The lines of the months <paramref name="from"/> to <paramref name="to"/> (both included), by number.
    /// </summary>
    IReadOnlyList<LedgerLine> Lines(string communityId, Period from, Period to);

    /// <summary>Income less spending of every line of the months before <paramref name="period"/>.</summary>
    decimal BalanceBefore(string communityId, Period period);

    /// <summary>The earliest month before <paramref name="period"/> that has lines and is not closed.</summary>
    Period? FirstOpenMonthBefore(string communityId, Period period);

    // ---- closing ----

    /// <summary>
    /// Adds the close unless its month is closed already or a line was added after line
    /// <paramref name="throughNumber"/>, the last one its figures counted (they would be stale): false then.
    /// </summary>
    bool TryClose(MonthClose close, int throughNumber);

    MonthClose? FindClose(string communityId, Period period);

    /// <summary>The close of the community's latest closed month.</summary>
    MonthClose? LatestClose(string communityId);

    // ---- the owners' audit ----

    /// <summary>Adds the signature, unless that auditor signed that month already (false).</summary>
    bool TryAddSignOff(SignOff signOff);

    /// <summary>The month's signatures, first signed first.</summary>
    IReadOnlyList<SignOff> SignOffs(string communityId, Period period);

    /// <summary>Adds the objection, numbered by the store (a whole number, as objections always were).</summary>
    Objection AddObjection(Objection draft);

    Objection? FindObjection(string communityId, int id);

    /// <summary>The objections to lines of the month, in the order they were made.</summary>
    IReadOnlyList<Objection> Objections(string communityId, Period period);

    /// <summary>Saves the answer, unless the objection has one already (false): it is answered once.</summary>
    bool TryAnswer(Objection answered);

    /// <summary>Adds the auditor, or replaces the one with its id (the same owner appointed again).</summary>
    void SaveAuditor(Auditor auditor);

    bool IsAuditor(string communityId, string personId);

    /// <summary>The community's owner auditors, first appointed first.</summary>
    IReadOnlyList<Auditor> Auditors(string communityId);
}
