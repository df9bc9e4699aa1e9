using Linli.StaffConsole;

namespace Linli.Storage.LiteDb;

public sealed class LiteHandoffStore(LinliDatabase db) : IHandoffStore
{
    public HandoffRecord? Find(string channelId, string userId) =>
        db.Handoffs.FindById(HandoffRecord.Key(channelId, userId));

    public void Save(HandoffRecord handoff) => db.Handoffs.Upsert(handoff);

    public bool Remove(string channelId, string userId) => db.Handoffs.Delete(HandoffRecord.Key(channelId, userId));
}
