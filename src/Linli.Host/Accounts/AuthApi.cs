using System.Security.Claims;
using Linli.Hosting;
using Linli.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
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

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<ResidentLinks>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "linli.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // An API answers 401/403; it never redirects a script to a sign-in page. A page goes to the sign-in page.
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/signin";
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnRedirectToLogin = ctx => Redirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Redirect(ctx, StatusCodes.Status403Forbidden);
            o.Events.OnValidatePrincipal = ValidateAccountAsync;
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<TimeProvider>((o, time) => o.TimeProvider = time);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ServicePolicy, p => p.RequireRole(LinliClaims.ServiceRoles.Select(r => r.ToString())));
        // Posting a sign-in form or following a sign-in link counts against the client address.
        builder.Services.Configure<RazorPagesOptions>(o =>
        {
            o.Conventions.AddPageApplicationModelConvention("/SignIn", SignInLimited);
            o.Conventions.AddPageApplicationModelConvention("/Link", SignInLimited);
        });
        return builder;
    }

    private static void SignInLimited(PageApplicationModel page) =>
        page.EndpointMetadata.Add(new EnableRateLimitingAttribute(Hosting.RateLimits.SignIn));

    /// <summary>
    /// A session of an account lasts only while the account is as it was when signed in: disabled, a new password, new
    /// roles (a new stamp) end it at the next request. Residents' sessions have no account and are left alone.
    /// </summary>
    private static async Task ValidateAccountAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(LinliClaims.Account) is not { } id) return;
        var account = context.HttpContext.RequestServices.GetRequiredService<AccountService>().Find(id);
        var stamp = context.Principal.FindFirstValue(LinliClaims.Stamp);
        if (account is { Disabled: false } && account.Stamp == stamp) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    /// <summary>
    /// An account that must set a new password may do that, see who it is and sign out; pages send it to the password
    /// page, APIs and hubs answer 403.
    /// </summary>
    public static IApplicationBuilder UsePasswordChangeFirst(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (!http.User.HasClaim(c => c.Type == LinliClaims.MustChangePassword) || MayChangePassword(http.Request))
            {
                await next(http);
                return;
            }
            if (IsApi(http.Request))
            {
                var first = new DomainProblem(403, "auth.change_password_first", new { page = PasswordPage });
                await first.ToResult(http).ExecuteAsync(http);
                return;
            }
            var here = Uri.EscapeDataString(http.Request.Path + http.Request.QueryString);
            http.Response.Redirect($"{PasswordPage}?returnUrl={here}");
        });

    /// <summary>
    /// The password page, sign-in and sign-out, and who am I: what an account held to a new password may use.
    /// </summary>
    private static bool MayChangePassword(HttpRequest request) =>
        request.Path.StartsWithSegments(PasswordPage) || request.Path.StartsWithSegments("/api/auth")
        || request.Path.Equals("/signin") && HttpMethods.IsPost(request.Method);

    public const string PasswordPage = "/account/password";

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx, int apiStatus)
    {
        if (IsApi(ctx.Request)) ctx.Response.StatusCode = apiStatus;
        else if (apiStatus == StatusCodes.Status403Forbidden) ctx.Response.Redirect(ctx.RedirectUri + "&denied=true");
        else ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder routes)
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

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs")
        || request.Path.StartsWithSegments("/v3");
}
