using System.Security.Cryptography;

namespace Linli.Storage.LiteDb;

/// <summary>Signing keys kept in the settings collection (see <see cref="ISigningKeys"/>).</summary>
public sealed class LiteSigningKeys(LinliDatabase db) : ISigningKeys
{
    public byte[] Load(string name) => SigningKeys.Load(db, name);
}

/// <summary>Per-database HMAC keys: made once, kept in settings.</summary>
public static class SigningKeys
{
    public static byte[] Load(LinliDatabase db, string id)
    {
        if (db.Settings.FindById(id) is { } existing) return Convert.FromBase64String(existing.Value);
        var created = new SettingRecord(id, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            db.Settings.Insert(created);
            return Convert.FromBase64String(created.Value);
        }
        catch (LiteDB.LiteException ex) when (ex.ErrorCode == LiteDB.LiteException.INDEX_DUPLICATE_KEY)
        {
            // Another thread made the first key a moment ago: that one is the key.
            return Convert.FromBase64String(db.Settings.FindById(id).Value);
        }
    }
}
