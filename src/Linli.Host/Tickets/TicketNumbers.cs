namespace Linli.Tickets;

/// <summary>The tea table's question to the tickets: does a conclusion name a ticket of its own community?</summary>
public sealed class TicketNumbers(ITicketStore tickets) : TeaTable.ITicketNumbers
{
    public bool Exists(string communityId, string number) => tickets.Find(communityId, number) is not null;
}
