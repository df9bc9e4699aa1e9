using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Linli.Channels.BotFramework;

/// <summary><c>POST /api/messages</c>, as Azure Bot Service and the Bot Framework Emulator call it.</summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/messages", Receive).WithTags("Bot Framework")
            .WithSummary("Receive an activity from a Bot Framework channel")
            .DisableAntiforgery()
            .RequireRateLimiting(Hosting.RateLimits.Messages);
        return routes;
    }

    private static async Task<IResult> Receive(HttpContext http, TurnRunner runner, ConnectorOutbox outbox,
        IOptions<BotFrameworkOptions> options, ServiceUrls serviceUrls, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.RequiresAuthentication && !serviceUrls.AnonymousAllowed)
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not authorized",
                detail: "This Linli has no Bot Framework app id (BotFramework:AppId), so it accepts no channel's activities.");
        var read = await ActivityReader.ReadAsync(http.Request, o.MaxActivityBytes, cancellationToken);
        if (read.Problem is not null) return read.Problem;
        var activity = read.Activity!;
        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
            return ActivityReader.Bad("The activity has no conversation.", "Set conversation.id.").Problem!;
        if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl) || serviceUrl.Scheme is not ("http" or "https"))
            return ActivityReader.Bad("The activity has no serviceUrl.", "Set serviceUrl to the channel's absolute http(s) URL.").Problem!;
        if (!serviceUrls.Allows(serviceUrl))
            return ActivityReader.Bad("The serviceUrl is not allowed.", $"Replies go only to the hosts in BotFramework:ServiceUrlHosts; '{serviceUrl.Host}' is not one.").Problem!;

        if (o.RequiresAuthentication)
        {
            var auth = await http.AuthenticateAsync(BotFrameworkModule.AuthenticationScheme);
            if (!auth.Succeeded)
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not authorized",
                    detail: "A valid Bot Framework token for this bot is required.");
            // A token is only good for the channel that holds it: its serviceurl claim must name this activity's.
            var claimed = auth.Principal?.FindFirst("serviceurl")?.Value;
            if (!string.Equals(claimed?.TrimEnd('/'), activity.ServiceUrl!.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not authorized",
                    detail: "The token's serviceurl claim does not match the activity's serviceUrl.");
        }

        // A retried delivery (the same activity id in the same conversation) runs nothing and gets nothing back.
        if (IsExpectReplies(activity))
        {
            var collected = new CollectingSender();
            await runner.RunOnceAsync(activity, collected, cancellationToken);
            return Results.Json(new { activities = collected.Activities }, ActivityJson.Options);
        }

        await runner.RunOnceAsync(activity, new OutboxSender(outbox), cancellationToken);
        return Results.Ok();
    }

    private static bool IsExpectReplies(Activity activity) =>
        string.Equals(activity.DeliveryMode, DeliveryModes.ExpectReplies, StringComparison.OrdinalIgnoreCase);

    private sealed class CollectingSender : IActivitySender
    {
        public List<Activity> Activities { get; } = [];

        public Task<string?> SendAsync(Activity activity, CancellationToken cancellationToken)
        {
            Activities.Add(activity);
            return Task.FromResult<string?>(null);
        }
    }

    private sealed class OutboxSender(ConnectorOutbox outbox) : IActivitySender
    {
        public Task<string?> SendAsync(Activity activity, CancellationToken cancellationToken)
        {
            outbox.Enqueue(activity, activity.ReplyToId);
            return Task.FromResult<string?>(null);
        }
    }
}
