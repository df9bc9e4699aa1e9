using Linli.StaffConsole;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Handoffs in LiteDB. Every message asks whether staff have the conversation, so the answer for each identity is
/// remembered (<see cref="LinliDatabase.KnownHandoffs"/>), and every write goes through this store.
/// </summary>
public sealed class LiteHandoffStore(LinliDatabase db) : IHandoffStore
{
    public HandoffRecord? Find(string channelId, string userId) =>
        db.KnownHandoffs.Get(HandoffRecord.Key(channelId, userId), id => db.Handoffs.FindById(id));

    public void Save(HandoffRecord handoff) =>
        db.KnownHandoffs.Write(handoff.Id, () => db.Handoffs.Upsert(handoff), _ => handoff);

    public bool Remove(string channelId, string userId)
    {
        var key = HandoffRecord.Key(channelId, userId);
        return db.KnownHandoffs.Write(key, () => db.Handoffs.Delete(key), _ => null);
    }
}
