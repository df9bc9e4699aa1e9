using System.Security.Claims;
using Linli.People;

namespace Linli.Accounts;

/// <summary>The claims Linli puts in its sign-in cookie, and the questions every endpoint asks of them.</summary>
public static class LinliClaims
{
    public const string Community = "linli:community";
    public const string Unit = "linli:unit";
    public const string Person = ClaimTypes.NameIdentifier;
    /// <summary>The account signed in with (staff, volunteers, committee, admins; residents have none).</summary>
    public const string Account = "linli:account";
    /// <summary>
    /// The account's stamp when the cookie was made: a password, role or status change since ends the session.
    /// </summary>
    public const string Stamp = "linli:stamp";
    /// <summary>Present while the account must set a new password before anything else.</summary>
    public const string MustChangePassword = "linli:must_change_password";

    /// <summary>Roles that work the ticket queue.</summary>
    public static readonly Role[] ServiceRoles = [Role.Staff, Role.Admin, Role.Mediator];

    public static string? CommunityId(this ClaimsPrincipal user) => user.FindFirstValue(Community);

    public static string? PersonId(this ClaimsPrincipal user) => user.FindFirstValue(Person);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Name) ?? user.PersonId() ?? "?";

    public static bool Is(this ClaimsPrincipal user, Role role) => user.IsInRole(role.ToString());

    /// <summary>Staff, admin or mediator of this very community.</summary>
    public static bool Serves(this ClaimsPrincipal user, string communityId) =>
        user.CommunityId() == communityId && ServiceRoles.Any(user.Is);

    public static ClaimsIdentity Identity(string personId, string name, string communityId, IEnumerable<Role> roles,
        string? unitId, string scheme)
    {
        var claims = new List<Claim> { new(Person, personId), new(ClaimTypes.Name, name), new(Community, communityId) };
        if (unitId is not null) claims.Add(new Claim(Unit, unitId));
        claims.AddRange(roles.Distinct().Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        return new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role);
    }
}
