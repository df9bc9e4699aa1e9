using System.Security.Cryptography;
using Linli.People;
using Linli.Storage;
using Microsoft.AspNetCore.Identity;

namespace Linli.Accounts;

public enum SignInOutcome { SignedIn, WrongPassword }

/// <summary>What a sign-in came to; <see cref="MustChangePassword"/>: signed in only to set a new password first.</summary>
public sealed record SignInResult(SignInOutcome Outcome, Account? Account, bool MustChangePassword = false);

public sealed class AccountException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

/// <summary>
/// Accounts of the people who serve a community: passwords (PBKDF2 via <see cref="PasswordHasher{TUser}"/>), lockout after
/// repeated failures, and what an admin does with them (create, roles, disable, reset). Every change moves the account's
/// stamp, which ends the sessions made before it.
/// </summary>
public sealed class AccountService(LinliDatabase db, TimeProvider time, IHostEnvironment environment, ILogger<AccountService> logger)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutPeriod = TimeSpan.FromMinutes(15);
    /// <summary>Roles an account can be given; Resident and Owner come from a flat.</summary>
    public static readonly Role[] AccountRoles =
        [Role.Staff, Role.Manager, Role.SafetyOfficer, Role.Mediator, Role.Volunteer, Role.Committee, Role.Admin];
    private static readonly PasswordHasher<Account> Hasher = new();
    /// <summary>Sign-ins and account changes one at a time: a failure is counted before the next guess is read.</summary>
    private readonly Lock _writes = new();

    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public SignInResult SignIn(string userName, string password)
    {
        var id = userName.Trim().ToLowerInvariant();
        var now = time.GetUtcNow();
        var account = db.Accounts.FindById(id);
        if (account is null || account.Disabled)
        {
            // Same work and the same answer as a real check, so neither timing nor words tell which user names exist.
            Hasher.VerifyHashedPassword(null!, DummyHash, password);
            return new SignInResult(SignInOutcome.WrongPassword, null);
        }
        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        lock (_writes)
        {
            account = db.Accounts.FindById(id)!;
            if (account.LockedUntil > now)
            {
                logger.LogWarning("Sign-in refused for {User}: locked until {Until}", id, account.LockedUntil);
                return new SignInResult(SignInOutcome.WrongPassword, null);
            }
            if (verdict == PasswordVerificationResult.Failed)
            {
                var failures = account.FailedAttempts + 1;
                var locked = failures >= MaxFailures;
                db.Accounts.Update(account with
                {
                    FailedAttempts = locked ? 0 : failures,
                    LockedUntil = locked ? now + LockoutPeriod : null,
                });
                logger.LogWarning("Wrong password for {User} ({Failures} of {Max})", id, failures, MaxFailures);
                return new SignInResult(SignInOutcome.WrongPassword, null);
            }
            var updated = account with
            {
                FailedAttempts = 0, LockedUntil = null,
                PasswordHash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hash(password) : account.PasswordHash,
            };
            db.Accounts.Update(updated);
            // Outside Development the demo's published password is as good as none: it must be changed first.
            var demoPassword = password == Seeding.DemoAccounts.Password;
            var mustChange = updated.MustChangePassword || !environment.IsDevelopment() && demoPassword;
            logger.LogInformation("{User} signed in ({Community}){Change}",
                id, account.CommunityId, mustChange ? "; must set a new password" : "");
            return new SignInResult(SignInOutcome.SignedIn, updated, mustChange);
        }
    }

    public Person? PersonOf(Account account) => db.People.FindById(account.PersonId);

    public Account? Find(string userName) => db.Accounts.FindById(userName.Trim().ToLowerInvariant());

    public List<Account> InCommunity(string communityId) => db.Accounts.Find(a => a.CommunityId == communityId).OrderBy(a => a.Id).ToList();

    /// <summary>A new account (and its person) with a first password that its owner must change at first sign-in.</summary>
    public Account Create(string communityId, string userName, string name, string? phone, string? title,
        IReadOnlyCollection<Role> roles, string password, string? weComUserId = null)
    {
        var id = userName.Trim().ToLowerInvariant();
        if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z0-9][a-z0-9._-]{2,39}$"))
            throw new AccountException(400, "Bad user name", "3–40 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 40)
            throw new AccountException(400, "A name is needed", "The person's name, at most 40 characters.");
        CheckRoles(roles);
        CheckPassword(password, id);
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        lock (_writes)
        {
            if (db.Accounts.FindById(id) is not null)
                throw new AccountException(409, "User name taken", $"There is already an account '{id}'.");
            var person = new Person
            {
                Id = $"{communityId}-a-{id}", CommunityId = communityId, Name = name.Trim(), Phone = digits,
                Roles = [.. roles.Distinct()], Title = string.IsNullOrWhiteSpace(title) ? null : title.Trim(),
            };
            person = person with { WeComUserId = CheckWeComUserId(weComUserId, person.Id) };
            db.People.Upsert(person);
            var account = new Account
            {
                Id = id, PersonId = person.Id, CommunityId = communityId, Roles = [.. roles.Distinct()],
                PasswordHash = Hash(password), MustChangePassword = true, Stamp = NewStamp(),
            };
            db.Accounts.Insert(account);
            return account;
        }
    }

    /// <summary>
    /// New roles and/or status, the person's roles following, and open sessions end; and/or the person's member id in
    /// the office's WeCom (<paramref name="weComUserId"/>; "" removes it), which alone leaves sessions as they are.
    /// Everything is checked before anything is written.
    /// </summary>
    public Account Update(string communityId, string userName, IReadOnlyCollection<Role>? roles, bool? disabled,
        string byAccountId, string? weComUserId = null)
    {
        if (roles is not null) CheckRoles(roles);
        lock (_writes)
        {
            var account = Mine(communityId, userName);
            // An admin cannot lock themselves out: somebody must be left to manage accounts.
            if (account.Id == byAccountId && (disabled == true || roles is not null && !roles.Contains(Role.Admin)))
                throw new AccountException(409, "Not your own", "You cannot disable your own account or take away your own admin role.");
            var person = db.People.FindById(account.PersonId);
            var wecom = weComUserId is null ? person?.WeComUserId : CheckWeComUserId(weComUserId, account.PersonId);
            var changed = account;
            if (roles is not null || disabled is not null)
            {
                changed = account with
                {
                    Roles = roles is null ? account.Roles : [.. roles.Distinct()],
                    Disabled = disabled ?? account.Disabled,
                    Stamp = NewStamp(),
                };
                db.Accounts.Update(changed);
            }
            if (person is not null && (roles is not null || wecom != person.WeComUserId))
            {
                // A person keeps what their flat makes them (resident, owner) and takes the account's roles.
                var fromFlat = person.Roles.Where(r => r is Role.Resident or Role.Owner);
                db.People.Update(person with
                {
                    Roles = roles is null ? person.Roles : [.. fromFlat, .. roles.Distinct()], WeComUserId = wecom,
                });
            }
            return changed;
        }
    }

    /// <summary>An admin sets a temporary password; its owner must choose their own at next sign-in. Unlocks the account.</summary>
    public Account ResetPassword(string communityId, string userName, string temporary)
    {
        lock (_writes)
        {
            var account = Mine(communityId, userName);
            CheckPassword(temporary, account.Id);
            var changed = account with
            {
                PasswordHash = Hash(temporary), MustChangePassword = true,
                FailedAttempts = 0, LockedUntil = null, Stamp = NewStamp(),
            };
            db.Accounts.Update(changed);
            return changed;
        }
    }

    /// <summary>Someone changes their own password, giving the current one.</summary>
    public Account ChangePassword(string userName, string current, string replacement)
    {
        lock (_writes)
        {
            var account = db.Accounts.FindById(userName) ?? throw new AccountException(404, "No such account", "Sign in again.");
            if (Hasher.VerifyHashedPassword(account, account.PasswordHash, current) == PasswordVerificationResult.Failed)
                throw new AccountException(400, "Current password is wrong", "当前密码不对。 The current password is not right.");
            CheckPassword(replacement, account.Id);
            if (replacement == current || replacement == Seeding.DemoAccounts.Password)
                throw new AccountException(400, "Password not accepted", "请换一个新密码。 Choose a new password.");
            var changed = account with
            {
                PasswordHash = Hash(replacement), MustChangePassword = false,
                Stamp = NewStamp(), PasswordChangedAt = time.GetUtcNow(),
            };
            db.Accounts.Update(changed);
            return changed;
        }
    }

    private Account Mine(string communityId, string userName) =>
        db.Accounts.FindById(userName.Trim().ToLowerInvariant()) is { } account && account.CommunityId == communityId
            ? account
            : throw new AccountException(404, "No such account", $"No account '{userName}' in community '{communityId}'.");

    private static void CheckPassword(string password, string userName)
    {
        if (PasswordPolicy.Problem(password, userName) is { } problem)
            throw new AccountException(400, "Password not accepted", problem);
    }

    /// <summary>A WeCom userid as WeCom allows them (letters, digits, _-@., up to 64), held by nobody else.</summary>
    private string? CheckWeComUserId(string? weComUserId, string personId)
    {
        var id = weComUserId?.Trim();
        if (string.IsNullOrEmpty(id)) return null;
        if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[A-Za-z0-9][A-Za-z0-9_@.-]{0,63}$"))
            throw new AccountException(400, "Bad WeCom userid",
                "The member's 账号 in WeCom: 1–64 letters, digits, '_', '-', '@' or '.', first a letter or digit.");
        if (db.People.FindOne(p => p.WeComUserId == id) is { } holder && holder.Id != personId)
            throw new AccountException(409, "WeCom userid taken", $"Another person already has WeCom userid '{id}'.");
        return id;
    }

    private static void CheckRoles(IReadOnlyCollection<Role> roles)
    {
        if (roles.Count == 0 || roles.Any(r => !AccountRoles.Contains(r)))
            throw new AccountException(400, "Bad roles", $"Give one or more of: {string.Join(", ", AccountRoles)}.");
    }

    private static readonly string DummyHash = Hash(Guid.NewGuid().ToString());
}
