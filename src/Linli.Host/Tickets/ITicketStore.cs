namespace Linli.Tickets;

/// <summary>
/// Where tickets and duty rosters are kept. Several Linli processes may share one store: nothing here relies on a lock
/// in the caller. A ticket is written only over the revision it was read at (<see cref="TryReplace"/>); opening one
/// and numbering it is one atomic step (<see cref="Open"/>).
/// </summary>
/// <remarks>
/// Reads of a community's queue name the community. A ticket's number is unique across this Linli (the day's count is
/// shared by every community), and residents and WeCom replies quote only the number: <see cref="FindByNumber"/>
/// reads by it alone, and callers check whose it is. A resident's chat identity (channel and user) is one person's
/// across this Linli too. The timers' reads (<see cref="Overdue"/>, <see cref="NotStartedSince"/>,
/// <see cref="UnacknowledgedEmergencies"/>) span every community: one timer serves them all.
/// </remarks>
public interface ITicketStore
{
    /// <summary>
    /// Opens <paramref name="draft"/> unless a ticket was opened from the same message (its
    /// <see cref="Ticket.SourceKey"/>): then that one is returned, not opened again. A new ticket is numbered
    /// <paramref name="numberPrefix"/> and the next count among the numbers with that prefix, four digits
    /// ("BX-20261126-" → "BX-20261126-0001"): no gaps, no duplicates, however many open at once. The draft's own
    /// <see cref="Ticket.Number"/> is not used.
    /// </summary>
    TicketOpening Open(Ticket draft, string numberPrefix);

    Ticket? Find(string communityId, string number);

    /// <summary>The ticket with this number in any community (numbers are unique across communities).</summary>
    Ticket? FindByNumber(string number);

    /// <summary>
    /// Saves <paramref name="changed"/> if the stored ticket is still at <c>changed.Revision</c> (nobody wrote it since
    /// it was read), with its revision one up, and returns what was saved; null, and nothing written, when another
    /// write came first. Of several writes made from one read, exactly one lands.
    /// </summary>
    Ticket? TryReplace(Ticket changed);

    /// <summary>
    /// A page of the community's queue as <paramref name="query"/> narrows it: open tickets before resolved and
    /// closed ones, urgent before the rest, then by respond-by time.
    /// </summary>
    IReadOnlyList<Ticket> Queue(string communityId, TicketQuery query, int skip, int take);

    /// <summary>The community's tickets changed after <paramref name="since"/>, oldest change first.</summary>
    IReadOnlyList<Ticket> ChangedSince(string communityId, DateTimeOffset since);

    /// <summary>
    /// Tickets still being handled (neither resolved nor closed) that this chat identity reported, or that are about
    /// the flat <paramref name="unitId"/>: newest first.
    /// </summary>
    IReadOnlyList<Ticket> OpenOf(string channelId, string userId, string? unitId);

    /// <summary>
    /// The latest emergency this chat identity raised at or after <paramref name="since"/> that nobody has started on
    /// (new or assigned), if any.
    /// </summary>
    Ticket? LatestEmergency(string channelId, string userId, DateTimeOffset since);

    /// <summary>
    /// What the open accounts count of each of the community's tickets opened at or after <paramref name="since"/>,
    /// oldest first.
    /// </summary>
    IReadOnlyList<TicketFigure> OpenedSince(string communityId, DateTimeOffset since);

    /// <summary>
    /// The community's tickets still being handled (neither resolved nor closed), counted by status: how many, and how
    /// many of them are past a deadline. Statuses without such tickets are left out; in status order.
    /// </summary>
    IReadOnlyList<OpenTicketCount> OpenCounts(string communityId);

    /// <summary>
    /// The attachments (their URLs) of every ticket not closed yet, in every community: photos still needed, which the
    /// retention timer and a resident's erasure keep.
    /// </summary>
    IReadOnlyList<string> AttachmentsOfTicketsNotClosed();

    /// <summary>New emergencies whose ladder nobody has acknowledged.</summary>
    IReadOnlyList<Ticket> UnacknowledgedEmergencies();

    /// <summary>
    /// Tickets whose clock runs (neither resolved, closed nor waiting on the resident) and that are past a target
    /// not yet marked breached at <paramref name="now"/>: new or reopened past their respond-by time, or any past
    /// their resolve-by time.
    /// </summary>
    IReadOnlyList<Ticket> Overdue(DateTimeOffset now);

    /// <summary>
    /// Assigned tickets (emergencies aside: the ladder watches those) whose last event is their assignment, made at or
    /// before <paramref name="cutoff"/>: nobody has started on them since.
    /// </summary>
    IReadOnlyList<Ticket> NotStartedSince(DateTimeOffset cutoff);

    DutyRoster? FindRoster(string communityId);

    /// <summary>Sets who is on duty, in paging order; the round robin keeps its place.</summary>
    void SaveRoster(string communityId, IReadOnlyList<string> personIds);

    /// <summary>
    /// Records that the round robin gave a ticket to <paramref name="next"/>, if the last one still went to
    /// <paramref name="expectedLast"/> (null: none yet); false, and nothing written, when another turn came first.
    /// </summary>
    bool TryMoveRoundRobin(string communityId, string? expectedLast, string next);
}

/// <summary>
/// One ticket as the open accounts count it: its kind, when it was opened, whether a deadline was breached, its rating
/// and, for an emergency, its 1-3-5 ladder.
/// </summary>
public sealed record TicketFigure(
    string Kind, DateTimeOffset CreatedAt, bool Breached, int? Rating, EmergencyLadder? Ladder);

/// <summary>
/// How many of a community's tickets in one status are being handled, and how many of them are past a deadline.
/// </summary>
public sealed record OpenTicketCount(TicketStatus Status, int Count, int PastDeadline);

/// <summary>The ticket <see cref="ITicketStore.Open"/> returns, and whether it opened it or found it.</summary>
public sealed record TicketOpening(Ticket Ticket, bool Opened);

/// <summary>
/// What a queue is narrowed to; null is any. <paramref name="Place"/>: a building's, see <see cref="TicketPlace"/>.
/// </summary>
public sealed record TicketQuery(
    string? Kind = null, TicketStatus? Status = null, string? Urgency = null, string? AssigneeId = null,
    bool OpenOnly = false, TicketPlace? Place = null);

/// <summary>
/// Tickets of one building: about one of its flats (<paramref name="UnitIds"/>), or at a place described as starting
/// with <paramref name="LocationPrefix"/> ("3栋").
/// </summary>
public sealed record TicketPlace(IReadOnlyList<string> UnitIds, string LocationPrefix);
