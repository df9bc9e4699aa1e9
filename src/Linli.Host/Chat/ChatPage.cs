using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Linli.Channels.DirectLine;
using Microsoft.Extensions.FileProviders;

namespace Linli.Chat;

public sealed record ChatTokenRequest(string? UserId, string? Locale);

public sealed record ChatTokenResponse(string Token, string ConversationId, string UserId, int ExpiresIn);

/// <summary>The resident chat page: Microsoft's Web Chat from our own origin, and the token it starts with.</summary>
public static partial class ChatPage
{
    public static WebApplication MapChatPage(this WebApplication app)
    {
        // web/package-lock.json pins Web Chat; the build runs npm ci. No CDN.
        var dist = Path.Combine(app.Environment.ContentRootPath, "web", "node_modules", "botframework-webchat", "dist");
        if (Directory.Exists(dist))
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(dist), RequestPath = "/lib/webchat" });
        else
            app.Logger.LogWarning("Web Chat is missing from {Folder}; build the host project to install it", dist);
        // The SignalR browser client for the staff console, from the same lock file.
        var signalr = Path.Combine(app.Environment.ContentRootPath, "web", "node_modules", "@microsoft", "signalr", "dist", "browser");
        if (Directory.Exists(signalr))
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(signalr), RequestPath = "/lib/signalr" });

        // The page never sees the Direct Line secret: the server mints a token for one new conversation.
        app.MapPost("/api/chat/token", (ChatTokenRequest? request, DirectLineStore store, DirectLineTokens tokens) =>
        {
            var userId = request?.UserId is { } id && UserIdPattern().IsMatch(id)
                ? id
                : "dl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var locale = request?.Locale is "en" or "en-US" ? "en-US" : "zh-CN";
            var conversation = store.Create(userId, locale);
            return TypedResults.Ok(new ChatTokenResponse(tokens.Issue(conversation.Id, userId), conversation.Id, userId, tokens.LifetimeSeconds));
        }).WithTags("Chat").WithSummary("A Direct Line token for the resident chat page").RequireRateLimiting(Hosting.RateLimits.Conversations);
        return app;
    }

    [GeneratedRegex("^dl_[0-9a-f]{16,32}$")]
    private static partial Regex UserIdPattern();
}
