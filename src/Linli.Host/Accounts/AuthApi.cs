using System.Security.Claims;
using Linli.Hosting;
using Linli.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Linli.Accounts;

public sealed record SignInRequest(string? UserName, string? Password);

public sealed record PasswordChange(string? Current, string? New);

public sealed record Me(string PersonId, string Name, string CommunityId, string[] Roles, string? UnitId);

public static class AuthApi
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    /// <summary>Staff, admins and mediators: the people who work tickets.</summary>
    public const string ServicePolicy = "service";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Sign-in");
        group.MapPost("/signin", SignInAsync)
            .WithSummary("Sign in with a staff, volunteer, mediator or admin account (sets a cookie)")
            .RequireRateLimiting(Hosting.RateLimits.SignIn);
        group.MapPost("/signout", async (HttpContext http) =>
            {
                await http.SignOutAsync(Scheme);
                return TypedResults.NoContent();
            })
            .WithSummary("Sign out");
        group.MapGet("/me", GetMe).RequireAuthorization().WithSummary("Who is signed in");
        group.MapPost("/password", ChangePasswordAsync)
            .RequireAuthorization()
            .RequireRateLimiting(Hosting.RateLimits.SignIn)
            .WithSummary("Change one's own password (the current one, and a new one that meets the policy)");
        return routes;
    }

    private static async Task<NoContent> SignInAsync(SignInRequest request, AccountService accounts,
        HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
            throw DomainProblem.Bad("auth.credentials_required");
        var result = accounts.SignIn(request.UserName, request.Password);
        if (result.Outcome != SignInOutcome.SignedIn)
            // One answer for a wrong name, a wrong password and a locked account: it tells nobody which names exist.
            throw new DomainProblem(401, "auth.wrong_credentials", new
            {
                failures = AccountService.MaxFailures, minutes = AccountService.LockoutPeriod.TotalMinutes,
            });
        var account = result.Account!;
        await http.SignInAsync(Scheme, StaffPrincipal(account, accounts.PersonOf(account), result.MustChangePassword));
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ChangePasswordAsync(PasswordChange request, AccountService accounts,
        AuditTrail audit, ClaimsPrincipal user, HttpContext http)
    {
        var id = user.FindFirstValue(LinliClaims.Account) ?? throw DomainProblem.Forbidden("auth.no_password");
        var changed = accounts.ChangePassword(id, request.Current ?? "", request.New ?? "");
        audit.Record(user, "account.password", id);
        // A fresh cookie: the new stamp, and no longer held to the password page.
        await http.SignInAsync(Scheme, StaffPrincipal(changed, accounts.PersonOf(changed)));
        return TypedResults.NoContent();
    }

    /// <param name="mustChangePassword">
    /// Signed in only to set a new password (a reset one, or a default one in production).
    /// </param>
    public static ClaimsPrincipal StaffPrincipal(Account account, Person? person, bool mustChangePassword = false)
    {
        var name = person?.Name ?? account.Id;
        var identity = LinliClaims.Identity(account.PersonId, name, account.CommunityId, account.Roles, null, Scheme);
        identity.AddClaim(new Claim(LinliClaims.Account, account.Id));
        identity.AddClaim(new Claim(LinliClaims.Stamp, account.Stamp));
        if (mustChangePassword) identity.AddClaim(new Claim(LinliClaims.MustChangePassword, "true"));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// A resident of one flat, whatever roles they have elsewhere (from a signed link or a phone code).
    /// </summary>
    public static ClaimsPrincipal ResidentPrincipal(Person person, string communityId, string unitId)
    {
        var roles = person.Has(Role.Owner) ? new[] { Role.Resident, Role.Owner } : [Role.Resident];
        return new ClaimsPrincipal(LinliClaims.Identity(person.Id, person.Name, communityId, roles, unitId, Scheme));
    }

    private static Ok<Me> GetMe(ClaimsPrincipal user) => TypedResults.Ok(new Me(
        user.PersonId() ?? "", user.DisplayName(), user.CommunityId() ?? "",
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(), user.FindFirstValue(LinliClaims.Unit)));

    /// <summary>
    /// Only a path on this site: never an open redirect. Browsers drop tabs and line breaks from addresses and read a
    /// backslash as a slash, so "/\t/evil.example" would be "//evil.example": any of those refuses the URL.
    /// </summary>
    public static string LocalOrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || url[1] != '/')
            && !url.Any(c => c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c)) ? url : "/";

}
