using System.Security.Claims;
using Linli.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Linli.Accounts;

/// <summary>
/// Accounts and sign-in: cookie sessions that end when the account changes, the staff policy, a new password before
/// anything else, and the endpoints for signing in and for the office's accounts.
/// </summary>
public static class AccountsModule
{
    /// <summary>Where an account held to a new password is sent.</summary>
    public const string PasswordPage = "/account/password";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<ResidentLinks>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddAuthentication(AuthApi.Scheme).AddCookie(AuthApi.Scheme, o =>
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
        builder.Services.AddOptions<CookieAuthenticationOptions>(AuthApi.Scheme)
            .Configure<TimeProvider>((o, time) => o.TimeProvider = time);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthApi.ServicePolicy, p => p.RequireRole(LinliClaims.ServiceRoles.Select(r => r.ToString())));
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
        await context.HttpContext.SignOutAsync(AuthApi.Scheme);
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

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx, int apiStatus)
    {
        if (IsApi(ctx.Request)) ctx.Response.StatusCode = apiStatus;
        else if (apiStatus == StatusCodes.Status403Forbidden) ctx.Response.Redirect(ctx.RedirectUri + "&denied=true");
        else ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        AuthApi.Map(routes);
        AccountsApi.Map(routes);
        return routes;
    }

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs")
        || request.Path.StartsWithSegments("/v3");
}
