namespace Linli.TeaTable;

/// <summary>
/// What the tea table asks of the tickets: whether a conclusion names a real ticket of its community. Kept this small
/// so the tea table does not depend on how tickets are stored.
/// </summary>
public interface ITicketNumbers
{
    bool Exists(string communityId, string number);
}
