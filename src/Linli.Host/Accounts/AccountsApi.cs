using System.Security.Claims;
using Linli.Hosting;
using Linli.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Accounts;

public sealed record AccountView(string UserName, string PersonId, string Name, string? Title, string Phone,
    Role[] Roles, bool Disabled, bool MustChangePassword, DateTimeOffset? LockedUntil, string? WeComUserId);

/// <param name="WeComUserId">The person's member id (账号) in the office's WeCom, for pages and replies.</param>
public sealed record NewAccount(string? UserName, string? Name, string? Phone, string? Title, Role[]? Roles,
    string? Password, string? WeComUserId = null);

/// <param name="WeComUserId">A new WeCom userid; "" removes it; absent leaves it.</param>
public sealed record AccountChange(Role[]? Roles, bool? Disabled, string? WeComUserId = null);

public sealed record PasswordReset(string? Password);

/// <summary>
/// An admin manages the accounts of their own community: create, give roles, disable, reset a password, and tie a
/// person to their WeCom userid. All audited.
/// </summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/communities/{communityId}/accounts").WithTags("Accounts")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Admin)))
            .RequireRateLimiting(Hosting.RateLimits.Writes)
            // An admin manages their own community's accounts only.
            .RequireMember(communityId => DomainProblem.Forbidden("accounts.not_your_community", new { communityId }));
        admin.MapGet("", List).WithSummary("The community's accounts (phones masked)");
        admin.MapPost("", Create).WithSummary("Create an account; its owner sets their own password at first sign-in");
        admin.MapPatch("/{userName}", Update)
            .WithSummary("Change roles, disable / enable (ends open sessions), or set weComUserId");
        admin.MapPost("/{userName}/reset-password", Reset)
            .WithSummary("Set a temporary password; its owner sets their own at next sign-in");
        return routes;
    }

    private static Ok<AccountView[]> List(string communityId, AccountService accounts) =>
        TypedResults.Ok(accounts.InCommunity(communityId).Select(a => View(a, accounts)).ToArray());

    private static Created<AccountView> Create(string communityId, NewAccount request, ClaimsPrincipal user,
        AccountService accounts, AuditTrail audit)
    {
        var account = accounts.Create(communityId, request.UserName ?? "", request.Name ?? "", request.Phone,
            request.Title, request.Roles ?? [], request.Password ?? "", request.WeComUserId);
        var wecom = accounts.PersonOf(account)?.WeComUserId is { } id ? $"; wecom {id}" : "";
        audit.Record(user, "account.create", account.Id, string.Join(",", account.Roles) + wecom);
        return TypedResults.Created($"/api/communities/{communityId}/accounts/{account.Id}", View(account, accounts));
    }

    private static Ok<AccountView> Update(string communityId, string userName, AccountChange request,
        ClaimsPrincipal user, AccountService accounts, AuditTrail audit)
    {
        if (request.Roles is null && request.Disabled is null && request.WeComUserId is null)
            throw DomainProblem.Bad("accounts.nothing_to_change");
        var self = user.FindFirstValue(LinliClaims.Account) ?? "";
        var account = accounts.Update(
            communityId, userName, request.Roles, request.Disabled, self, request.WeComUserId);
        var wecom = request.WeComUserId is null ? null
            : accounts.PersonOf(account)?.WeComUserId is { } id ? $"wecom {id}" : "wecom removed";
        var roles = request.Roles is null ? null : "roles " + string.Join(",", account.Roles);
        var status = request.Disabled switch { true => "disabled", false => "enabled", null => null };
        var changed = string.Join("; ", new[] { roles, status, wecom }.OfType<string>());
        audit.Record(user, "account.update", account.Id, changed);
        return TypedResults.Ok(View(account, accounts));
    }

    private static Ok<AccountView> Reset(string communityId, string userName, PasswordReset request,
        ClaimsPrincipal user, AccountService accounts, AuditTrail audit)
    {
        var account = accounts.ResetPassword(communityId, userName, request.Password ?? "");
        audit.Record(user, "account.reset_password", account.Id);
        return TypedResults.Ok(View(account, accounts));
    }

    private static AccountView View(Account a, AccountService accounts)
    {
        var person = accounts.PersonOf(a);
        return new AccountView(a.Id, a.PersonId, person?.Name ?? a.Id, person?.Title,
            PhoneMask.Mask(person?.Phone ?? ""), [.. a.Roles], a.Disabled, a.MustChangePassword, a.LockedUntil,
            person?.WeComUserId);
    }
}
