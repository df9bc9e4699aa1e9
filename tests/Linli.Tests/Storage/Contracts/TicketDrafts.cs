using Linli.Storage;
using Linli.Tickets;

namespace Linli.Tests.Storage.Contracts;

/// <summary>Tickets as the <see cref="ITicketStore"/> contracts make them: one community's, one reporter's.</summary>
internal static class TicketDrafts
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);
    public const string Prefix = "BX-20261102-";

    /// <summary>Opened <paramref name="minutes"/> after noon: respond by 30 minutes later, resolve by 600.</summary>
    public static Ticket Draft(string community = "north", int minutes = 0, string kind = "repair_request") => new()
    {
        Id = Ids.New(),
        Number = "",
        Kind = kind,
        CommunityId = community,
        Reporter = new TicketReporter("directline", "u1", "c1", null),
        CreatedAt = Noon.AddMinutes(minutes),
        UpdatedAt = Noon.AddMinutes(minutes),
        RespondBy = Noon.AddMinutes(minutes + 30),
        ResolveBy = Noon.AddMinutes(minutes + 600),
        History = [new TicketEvent(Noon.AddMinutes(minutes), TicketStatus.New, "resident", null)],
        SourceKey = Ids.New(),
    };

    public static Ticket Assigned(Ticket draft, string to, DateTimeOffset at) => draft with
    {
        Status = TicketStatus.Assigned,
        AssigneeId = to,
        History = [.. draft.History, new TicketEvent(at, TicketStatus.Assigned, "office", null)],
    };

    /// <summary>Opens the ticket as drafted (all its fields but its number) and returns it.</summary>
    public static Ticket Add(this ITicketStore store, Ticket draft, string prefix = Prefix) =>
        store.Open(draft, prefix).Ticket;
}
