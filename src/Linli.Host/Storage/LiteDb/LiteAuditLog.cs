using LiteDB;
using Linli.Accounts;

namespace Linli.Storage.LiteDb;

public sealed class LiteAuditLog(LinliDatabase db) : IAuditLog
{
    public void Append(AuditEntry entry)
    {
        try
        {
            if (db.AuditLog.FindById(entry.Id) is null) db.AuditLog.Insert(entry);
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // The same entry appended by another thread a moment before: it is in the log once.
        }
    }

    public IReadOnlyList<AuditEntry> Latest(string communityId, int skip, int take) =>
        // An array sorts by its items in turn: the instant, then the id among entries of one instant.
        db.AuditLog.Query()
            .Where(e => e.CommunityId == communityId)
            .OrderByDescending("[$.At, $._id]")
            .Skip(skip)
            .Limit(take)
            .ToList();
}
