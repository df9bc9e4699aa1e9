using Linli.TeaTable;

namespace Linli.Storage.LiteDb;

/// <summary>
/// The tea table's question to the tickets, answered from their LiteDB collection until the tickets have a store of
/// their own.
/// </summary>
public sealed class LiteTicketNumbers(LinliDatabase db) : ITicketNumbers
{
    public bool Exists(string communityId, string number) =>
        db.Tickets.FindOne(t => t.Number == number) is { } ticket && ticket.CommunityId == communityId;
}
