using System.Security.Cryptography;
using Linli.Channels.DirectLine;

namespace Linli.Storage;

/// <summary>Per-database HMAC keys for tokens only this server reads (Direct Line tokens, residents' links): made once, kept in settings.</summary>
public static class SigningKeys
{
    public static byte[] Load(LinliDatabase db, string id)
    {
        if (db.Settings.FindById(id) is { } existing) return Convert.FromBase64String(existing.Value);
        var created = new SettingRecord(id, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        db.Settings.Insert(created);
        return Convert.FromBase64String(created.Value);
    }
}
