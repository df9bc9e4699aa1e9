using Linli.Notices;

namespace Linli.Storage.LiteDb;

public sealed class LiteNoticeStore(LinliDatabase db) : INoticeStore
{
    public void Save(Notice notice) => db.Notices.Upsert(notice);

    public Notice? Find(string communityId, string id) =>
        db.Notices.FindById(id) is { } notice && notice.CommunityId == communityId ? notice : null;

    public IReadOnlyList<Notice> Latest(string communityId, int take = int.MaxValue) =>
        db.Notices.Query()
            .Where(n => n.CommunityId == communityId)
            .OrderByDescending(n => n.PublishedAt)
            .Limit(take)
            .ToList();
}
