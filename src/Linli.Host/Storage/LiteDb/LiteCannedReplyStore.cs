using Linli.StaffConsole;

namespace Linli.Storage.LiteDb;

public sealed class LiteCannedReplyStore(LinliDatabase db) : ICannedReplyStore
{
    public CannedReplies? Find(string communityId) => db.CannedReplies.FindById(communityId);

    public void Save(CannedReplies replies) => db.CannedReplies.Upsert(replies);
}
