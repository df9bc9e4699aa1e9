using Linli.People;
using Linli.Storage;
using Microsoft.AspNetCore.Identity;

namespace Linli.Accounts;

public enum SignInOutcome { SignedIn, WrongPassword, LockedOut }

/// <summary>Checks passwords (PBKDF2 via <see cref="PasswordHasher{TUser}"/>) and locks an account after repeated failures.</summary>
public sealed class AccountService(LinliDatabase db, TimeProvider time, ILogger<AccountService> logger)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutPeriod = TimeSpan.FromMinutes(15);
    private static readonly PasswordHasher<Account> Hasher = new();

    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    public (SignInOutcome Outcome, Account? Account) SignIn(string userName, string password)
    {
        var id = userName.Trim().ToLowerInvariant();
        var account = db.Accounts.FindById(id);
        var now = time.GetUtcNow();
        if (account is null)
        {
            // Same work as a real check, so timing does not tell which user names exist.
            Hasher.VerifyHashedPassword(null!, DummyHash, password);
            return (SignInOutcome.WrongPassword, null);
        }
        if (account.LockedUntil > now)
        {
            logger.LogWarning("Sign-in refused for {User}: locked until {Until}", id, account.LockedUntil);
            return (SignInOutcome.LockedOut, account);
        }
        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = account.FailedAttempts + 1;
            var locked = failures >= MaxFailures;
            db.Accounts.Update(account with { FailedAttempts = locked ? 0 : failures, LockedUntil = locked ? now + LockoutPeriod : null });
            logger.LogWarning("Wrong password for {User} ({Failures} of {Max})", id, failures, MaxFailures);
            return (locked ? SignInOutcome.LockedOut : SignInOutcome.WrongPassword, account);
        }
        var updated = account with
        {
            FailedAttempts = 0, LockedUntil = null,
            PasswordHash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hash(password) : account.PasswordHash,
        };
        db.Accounts.Update(updated);
        logger.LogInformation("{User} signed in ({Community})", id, account.CommunityId);
        return (SignInOutcome.SignedIn, updated);
    }

    public Person? PersonOf(Account account) => db.People.FindById(account.PersonId);

    private static readonly string DummyHash = Hash(Guid.NewGuid().ToString());
}
