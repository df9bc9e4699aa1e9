using System.Security.Cryptography;
using Linli.Hosting;
using Linli.People;
using Microsoft.AspNetCore.Identity;

namespace Linli.Accounts;

public enum SignInOutcome { SignedIn, WrongPassword }

/// <summary>
/// What a sign-in came to; <see cref="MustChangePassword"/>: signed in only to set a new password first.
/// </summary>
public sealed record SignInResult(SignInOutcome Outcome, Account? Account, bool MustChangePassword = false);

/// <summary>
/// Accounts of the people who serve a community: passwords (PBKDF2 via <see cref="PasswordHasher{TUser}"/>), lockout
/// after repeated failures, and what an admin does with them (create, roles, disable, reset). Every change moves the
/// account's stamp, which ends the sessions made before it.
/// </summary>
public sealed class AccountService(IAccountStore store, IPeopleStore people, TimeProvider time,
    IHostEnvironment environment, ILogger<AccountService> logger)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutPeriod = TimeSpan.FromMinutes(15);
    private static readonly PasswordHasher<Account> Hasher = new();
    private static readonly string DummyHash = Hash(Guid.NewGuid().ToString());
    /// <summary>
    /// Sign-ins and account changes one at a time: a failure is counted before the next guess is read.
    /// </summary>
    private readonly Lock _writes = new();

    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public SignInResult SignIn(string userName, string password)
    {
        var id = AccountRules.UserId(userName);
        var now = time.GetUtcNow();
        var account = store.Find(id);
        if (account is null || account.Disabled)
        {
            // Same work and the same answer as a real check, so neither timing nor words tell which user names exist.
            Hasher.VerifyHashedPassword(null!, DummyHash, password);
            return new SignInResult(SignInOutcome.WrongPassword, null);
        }
        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        lock (_writes) return Conclude(store.Find(id)!, password, verdict, now);
    }

    /// <summary>Counts a failure (locking the account at the limit), or clears the count and signs in.</summary>
    private SignInResult Conclude(Account account, string password, PasswordVerificationResult verdict,
        DateTimeOffset now)
    {
        if (account.LockedUntil > now)
        {
            logger.LogWarning("Sign-in refused for {User}: locked until {Until}", account.Id, account.LockedUntil);
            return new SignInResult(SignInOutcome.WrongPassword, null);
        }
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = account.FailedAttempts + 1;
            var locked = failures >= MaxFailures;
            store.Save(account with
            {
                FailedAttempts = locked ? 0 : failures,
                LockedUntil = locked ? now + LockoutPeriod : null,
            });
            logger.LogWarning("Wrong password for {User} ({Failures} of {Max})", account.Id, failures, MaxFailures);
            return new SignInResult(SignInOutcome.WrongPassword, null);
        }
        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded;
        var updated = account with
        {
            FailedAttempts = 0,
            LockedUntil = null,
            PasswordHash = rehash ? Hash(password) : account.PasswordHash,
        };
        store.Save(updated);
        // Outside Development the demo's published password is as good as none: it must be changed first.
        var demoPassword = password == Seeding.DemoAccounts.Password;
        var mustChange = updated.MustChangePassword || !environment.IsDevelopment() && demoPassword;
        logger.LogInformation("{User} signed in ({Community}){Change}",
            account.Id, account.CommunityId, mustChange ? "; must set a new password" : "");
        return new SignInResult(SignInOutcome.SignedIn, updated, mustChange);
    }

    public Person? PersonOf(Account account) => people.Find(account.CommunityId, account.PersonId);

    public Account? Find(string userName) => store.Find(AccountRules.UserId(userName));

    public IReadOnlyList<Account> InCommunity(string communityId) => store.InCommunity(communityId);

    /// <summary>
    /// A new account (and its person) with a first password that its owner must change at first sign-in.
    /// </summary>
    public Account Create(string communityId, string userName, string name, string? phone, string? title,
        IReadOnlyCollection<Role> roles, string password, string? weComUserId = null)
    {
        var id = AccountRules.UserId(userName);
        AccountRules.CheckUserName(id);
        AccountRules.CheckName(name);
        AccountRules.CheckRoles(roles);
        AccountRules.CheckPassword(password, id);
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        var personId = $"{communityId}-a-{id}";
        lock (_writes)
        {
            if (store.Find(id) is not null) throw Taken(id);
            var person = new Person
            {
                Id = personId, CommunityId = communityId, Name = name.Trim(), Phone = digits,
                Roles = [.. roles.Distinct()], Title = string.IsNullOrWhiteSpace(title) ? null : title.Trim(),
                WeComUserId = CheckWeComUserId(weComUserId, personId),
            };
            var account = new Account
            {
                Id = id, PersonId = person.Id, CommunityId = communityId, Roles = [.. roles.Distinct()],
                PasswordHash = Hash(password), MustChangePassword = true, Stamp = NewStamp(),
            };
            return store.TryAdd(account, person) ? account : throw Taken(id);
        }
    }

    private static DomainProblem Taken(string id) =>
        DomainProblem.Conflict("accounts.user_name_taken", new { id });

    /// <summary>
    /// New roles and/or status, the person's roles following, and open sessions end; and/or the person's member id in
    /// the office's WeCom (<paramref name="weComUserId"/>; "" removes it), which alone leaves sessions as they are.
    /// Everything is checked before anything is written.
    /// </summary>
    public Account Update(string communityId, string userName, IReadOnlyCollection<Role>? roles, bool? disabled,
        string byAccountId, string? weComUserId = null)
    {
        if (roles is not null) AccountRules.CheckRoles(roles);
        lock (_writes)
        {
            var account = Mine(communityId, userName);
            // An admin cannot lock themselves out: somebody must be left to manage accounts.
            var demotesSelf = disabled == true || roles is not null && !roles.Contains(Role.Admin);
            if (account.Id == byAccountId && demotesSelf)
                throw DomainProblem.Conflict("accounts.not_your_own");
            var person = people.Find(account.CommunityId, account.PersonId);
            var wecom = weComUserId is null ? person?.WeComUserId : CheckWeComUserId(weComUserId, account.PersonId);
            var changed = roles is null && disabled is null ? account : account with
            {
                Roles = roles is null ? account.Roles : [.. roles.Distinct()],
                Disabled = disabled ?? account.Disabled,
                Stamp = NewStamp(),
            };
            var personChanged = person is not null && (roles is not null || wecom != person.WeComUserId)
                ? person with
                {
                    // A person keeps what their flat makes them (resident, owner) and takes the account's roles.
                    Roles = roles is null
                        ? person.Roles
                        : [.. person.Roles.Where(r => r is Role.Resident or Role.Owner), .. roles.Distinct()],
                    WeComUserId = wecom,
                }
                : null;
            Write(account, changed, personChanged);
            return changed;
        }
    }

    /// <summary>Writes what changed of an account and its person; both together when both did.</summary>
    private void Write(Account before, Account account, Person? person)
    {
        var accountChanged = !ReferenceEquals(before, account);
        if (accountChanged && person is not null) store.Save(account, person);
        else if (accountChanged) store.Save(account);
        else if (person is not null) people.Save(person);
    }

    /// <summary>
    /// An admin sets a temporary password; its owner must choose their own at next sign-in. Unlocks the account.
    /// </summary>
    public Account ResetPassword(string communityId, string userName, string temporary)
    {
        lock (_writes)
        {
            var account = Mine(communityId, userName);
            AccountRules.CheckPassword(temporary, account.Id);
            var changed = account with
            {
                PasswordHash = Hash(temporary),
                MustChangePassword = true,
                FailedAttempts = 0,
                LockedUntil = null,
                Stamp = NewStamp(),
            };
            store.Save(changed);
            return changed;
        }
    }

    /// <summary>Someone changes their own password, giving the current one.</summary>
    public Account ChangePassword(string userName, string current, string replacement)
    {
        lock (_writes)
        {
            var account = store.Find(userName) ?? throw DomainProblem.NotFound("accounts.signed_in_account_gone");
            var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, current);
            if (verdict == PasswordVerificationResult.Failed)
                throw DomainProblem.Bad("accounts.current_password_is_wrong");
            AccountRules.CheckPassword(replacement, account.Id);
            if (replacement == current || replacement == Seeding.DemoAccounts.Password)
                throw DomainProblem.Bad("accounts.password_not_accepted");
            var changed = account with
            {
                PasswordHash = Hash(replacement),
                MustChangePassword = false,
                Stamp = NewStamp(),
                PasswordChangedAt = time.GetUtcNow(),
            };
            store.Save(changed);
            return changed;
        }
    }

    private Account Mine(string communityId, string userName) =>
        store.Find(AccountRules.UserId(userName)) is { } account && account.CommunityId == communityId
            ? account
            : throw DomainProblem.NotFound("accounts.no_such_account_here", new { userName, communityId });

    /// <summary>A WeCom userid as WeCom allows them, held by nobody else in any community.</summary>
    private string? CheckWeComUserId(string? weComUserId, string personId)
    {
        var id = AccountRules.CheckWeComUserId(weComUserId);
        if (id is not null && people.FindByWeComUserId(id) is { } holder && holder.Id != personId)
            throw DomainProblem.Conflict("accounts.wecom_userid_taken", new { id });
        return id;
    }
}
