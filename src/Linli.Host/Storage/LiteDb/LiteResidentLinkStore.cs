using Linli.Accounts;

namespace Linli.Storage.LiteDb;

public sealed class LiteResidentLinkStore(LinliDatabase db) : IResidentLinkStore
{
    private const string KeyId = "residentlinks.signingKey";
    /// <summary>A check and a mark as one step: two followers of one link cannot both find it unused.</summary>
    private readonly Lock _using = new();
    private byte[]? _key;

    public byte[] SigningKey()
    {
        lock (_using) return _key ??= SigningKeys.Load(db, KeyId);
    }

    public bool TryUse(string nonce, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        lock (_using)
        {
            return db.InTransaction(() =>
            {
                if (db.UsedLinks.FindById(nonce) is not null) return false;
                db.UsedLinks.DeleteMany(u => u.ExpiresAt < now);
                db.UsedLinks.Insert(new UsedLink { Id = nonce, ExpiresAt = expiresAt });
                return true;
            });
        }
    }

    public bool IsUsed(string nonce) => db.UsedLinks.FindById(nonce) is not null;
}
