using System.Security.Claims;
using Linli.Accounts;
using Linli.StaffConsole;

namespace Linli.Privacy;

public static class PrivacyApi
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

/// <summary>
/// Once an hour, forgets what is older than "Transcripts:RetentionDays" (180 by default): transcripts, Direct Line
/// conversations with their activities (raw text, codes and phones included), and chat photos not on an open ticket.
/// </summary>
public sealed class Retention(TranscriptStore transcripts, Channels.DirectLine.IDirectLineStore directLine,
    PrivacyService privacy, TimeProvider clock, ILogger<Retention> logger) : Hosting.PeriodicWork(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        RunNow();
        return Task.CompletedTask;
    }

    /// <returns>Transcript lines, conversations and photos deleted.</returns>
    public (int Lines, int Conversations, int Photos) RunNow()
    {
        var cutoff = Clock.GetUtcNow().AddDays(-transcripts.RetentionDays);
        var result = (transcripts.Prune(), directLine.DeleteStartedBefore(cutoff), privacy.DeleteOldChatPhotos(cutoff));
        if (result.Item2 + result.Item3 > 0)
            logger.LogInformation(
                "Retention: deleted {Conversations} chat conversations and {Photos} photos older than {Days} days",
                result.Item2, result.Item3, transcripts.RetentionDays);
        return result;
    }
}

/// <summary>How many conversations were deleted.</summary>
public sealed record Erased(int Deleted);
