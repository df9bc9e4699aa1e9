using System.Security.Claims;

namespace Linli.Privacy;

/// <summary>A resident's own data (PIPL): a copy on request, deletion of their conversations, and retention.</summary>
public static class PrivacyModule
{
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PrivacyService>();
        builder.Services.AddSingleton<Retention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Retention>());
        return builder;
    }

    /// <summary>A signed-in resident's own data: a copy, and the deletion of their conversations.</summary>
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/me").WithTags("Privacy")
            .RequireAuthorization(p => p.RequireRole(nameof(People.Role.Resident)))
            .RequireRateLimiting(Hosting.RateLimits.Writes);
        me.MapGet("/data", (ClaimsPrincipal user, PrivacyService privacy, HttpContext http) =>
        {
            http.Response.Headers.ContentDisposition = "attachment; filename=\"linli-my-data.json\"";
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(privacy.Export(user));
        }).WithSummary("Everything Linli holds about me, as JSON (PIPL art. 45)");
        me.MapDelete("/conversations", (ClaimsPrincipal user, PrivacyService privacy) =>
            TypedResults.Ok(new Erased(privacy.EraseConversations(user))))
            .WithSummary("Delete my conversations with the bot: transcripts, chat history, "
                + "photos not on an open ticket (PIPL art. 47)");
        return routes;
    }
}

/// <summary>How many conversations were deleted.</summary>
public sealed record Erased(int Deleted);
