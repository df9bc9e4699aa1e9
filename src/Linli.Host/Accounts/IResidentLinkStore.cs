namespace Linli.Accounts;

/// <summary>
/// What residents' sign-in links need kept: the key they are signed with, and the links already followed. A link's
/// nonce is random and names no community; it is looked up as it comes.
/// </summary>
public interface IResidentLinkStore
{
    /// <summary>The signing key, made on first use and kept, so links given before a restart still work.</summary>
    byte[] SigningKey();

    /// <summary>
    /// Marks the link used: true the first time, false ever after, whoever else tries at the same moment. Forgets links
    /// that expired before <paramref name="now"/>, as no signature check lets them back in.
    /// </summary>
    bool TryUse(string nonce, DateTimeOffset expiresAt, DateTimeOffset now);

    bool IsUsed(string nonce);
}
