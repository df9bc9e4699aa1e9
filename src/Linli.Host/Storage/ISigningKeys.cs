namespace Linli.Storage;

/// <summary>
/// Per-database HMAC keys for tokens only this server reads (Direct Line tokens, chat user keys, residents' links):
/// made on first use, kept with the data, so what was signed stays valid across a restart.
/// </summary>
public interface ISigningKeys
{
    /// <summary>The 32-byte key named <paramref name="name"/>, made now if there is none yet.</summary>
    byte[] Load(string name);
}
