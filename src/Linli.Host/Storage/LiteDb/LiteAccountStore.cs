using LiteDB;
using Linli.Accounts;
using Linli.People;

namespace Linli.Storage.LiteDb;

public sealed class LiteAccountStore(LinliDatabase db) : IAccountStore
{
    public Account? Find(string userName) => db.Accounts.FindById(userName);

    public IReadOnlyList<Account> InCommunity(string communityId) =>
        db.Accounts.Query().Where(a => a.CommunityId == communityId).OrderBy(a => a.Id).ToList();

    public IReadOnlyList<Account> OfPerson(string communityId, string personId) =>
        db.Accounts.Query().Where(a => a.PersonId == personId && a.CommunityId == communityId).OrderBy(a => a.Id)
            .ToList();

    public bool TryAdd(Account account, Person person)
    {
        try
        {
            return db.InTransaction(() =>
            {
                if (db.Accounts.FindById(account.Id) is not null) return false;
                db.Accounts.Insert(account);
                db.People.Upsert(person);
                return true;
            });
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // Added by another thread between the look and the insert; the transaction wrote nothing.
            return false;
        }
    }

    public void Save(Account account) => db.Accounts.Upsert(account);

    public void Save(Account account, Person person) => db.InTransaction(() =>
    {
        db.Accounts.Upsert(account);
        db.People.Upsert(person);
        return true;
    });
}
