using System.Security.Claims;
using Linli.People;
using Linli.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Linli.Accounts;

public sealed record SignInRequest(string? UserName, string? Password);

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
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<TimeProvider>((o, time) => o.TimeProvider = time);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ServicePolicy, p => p.RequireRole(LinliClaims.ServiceRoles.Select(r => r.ToString())));
        return builder;
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx, int apiStatus)
    {
        if (IsApi(ctx.Request)) ctx.Response.StatusCode = apiStatus;
        else ctx.Response.Redirect(apiStatus == StatusCodes.Status403Forbidden ? ctx.RedirectUri + "&denied=true" : ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Sign-in");
        group.MapPost("/signin", SignInAsync).WithSummary("Sign in with a staff, volunteer, mediator or admin account (sets a cookie)")
            .RequireRateLimiting(Hosting.RateLimits.SignIn);
        group.MapPost("/signout", async (HttpContext http) => { await http.SignOutAsync(Scheme); return TypedResults.NoContent(); })
            .WithSummary("Sign out");
        group.MapGet("/me", GetMe).RequireAuthorization().WithSummary("Who is signed in");
        return routes;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SignInAsync(SignInRequest request, AccountService accounts, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
            return TypedResults.Problem(statusCode: 400, title: "User name and password are required");
        var (outcome, account) = accounts.SignIn(request.UserName, request.Password);
        switch (outcome)
        {
            case SignInOutcome.LockedOut:
                return TypedResults.Problem(statusCode: 429, title: "Account locked",
                    detail: $"Too many wrong passwords. Try again after {account!.LockedUntil:HH:mm} UTC, or ask an admin.");
            case SignInOutcome.WrongPassword:
                return TypedResults.Problem(statusCode: 401, title: "Wrong user name or password");
        }
        await http.SignInAsync(Scheme, StaffPrincipal(account!, accounts.PersonOf(account!)));
        return TypedResults.NoContent();
    }

    public static ClaimsPrincipal StaffPrincipal(Account account, Person? person)
    {
        var identity = LinliClaims.Identity(account.PersonId, person?.Name ?? account.Id, account.CommunityId, account.Roles, null, Scheme);
        identity.AddClaim(new Claim("linli:account", account.Id));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>A resident of one flat, whatever roles they have elsewhere (from a signed link or a phone code).</summary>
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
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/v3");
}
