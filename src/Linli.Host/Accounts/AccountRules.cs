using System.Text.RegularExpressions;
using Linli.Hosting;
using Linli.People;

namespace Linli.Accounts;

/// <summary>What an account's fields must be, checked before anything is written; a refusal says which rule.</summary>
public static partial class AccountRules
{
    /// <summary>Roles an account can be given; Resident and Owner come from a flat.</summary>
    public static readonly Role[] AccountRoles =
        [Role.Staff, Role.Manager, Role.SafetyOfficer, Role.Mediator, Role.Volunteer, Role.Committee, Role.Admin];

    /// <summary>A user name as accounts keep it: trimmed, lower case.</summary>
    public static string UserId(string userName) => userName.Trim().ToLowerInvariant();

    public static void CheckUserName(string id)
    {
        if (!UserNamePattern().IsMatch(id))
            throw DomainProblem.Bad("accounts.bad_user_name");
    }

    public static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 40)
            throw DomainProblem.Bad("accounts.a_name_is_needed");
    }

    public static void CheckPassword(string password, string userName)
    {
        if (PasswordPolicy.Problem(password, userName) is { } problem)
            throw DomainProblem.Bad("accounts.password_weak", new { problem });
    }

    public static void CheckRoles(IReadOnlyCollection<Role> roles)
    {
        if (roles.Count == 0 || roles.Any(r => !AccountRoles.Contains(r)))
            throw DomainProblem.Bad("accounts.bad_roles", new { roles = string.Join(", ", AccountRoles) });
    }

    /// <summary>A WeCom userid as WeCom allows them: letters, digits, _-@., up to 64. Null or "": none.</summary>
    /// <returns>The trimmed userid, or null for none.</returns>
    public static string? CheckWeComUserId(string? weComUserId)
    {
        var id = weComUserId?.Trim();
        if (string.IsNullOrEmpty(id)) return null;
        if (!WeComUserIdPattern().IsMatch(id))
            throw DomainProblem.Bad("accounts.bad_wecom_userid");
        return id;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,39}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_@.-]{0,63}$")]
    private static partial Regex WeComUserIdPattern();
}
