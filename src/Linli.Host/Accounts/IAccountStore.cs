using Linli.People;

namespace Linli.Accounts;

/// <summary>
/// Accounts, written together with the people they belong to where both change. A user name is unique across this
/// Linli, and sign-in looks it up before anyone knows the community: <see cref="Find"/> reads across communities by
/// design (the account then says its community); every other read names one.
/// </summary>
public interface IAccountStore
{
    /// <param name="userName">The account's id: trimmed and lower case.</param>
    Account? Find(string userName);

    /// <summary>The community's accounts, by user name.</summary>
    IReadOnlyList<Account> InCommunity(string communityId);

    /// <summary>The accounts a person of the community signs in with, by user name.</summary>
    IReadOnlyList<Account> OfPerson(string communityId, string personId);

    /// <summary>
    /// Adds the account and adds or replaces its person, both or neither; false, and nothing written, when the user
    /// name is taken.
    /// </summary>
    bool TryAdd(Account account, Person person);

    /// <summary>Replaces the account (counted failures, a new password, new roles).</summary>
    void Save(Account account);

    /// <summary>Replaces the account and its person together (roles that follow each other).</summary>
    void Save(Account account, Person person);
}
