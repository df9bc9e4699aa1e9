using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Linli.Channels.DirectLine;
using Microsoft.Extensions.FileProviders;

namespace Linli.Chat;

/// <param name="UserKey">What an earlier answer gave this browser to come back as the same user.</param>
public sealed record ChatTokenRequest(string? UserKey, string? Locale);

/// <param name="UserKey">The user id with this server's signature: the only way to ask for the same user again.</param>
public sealed record ChatTokenResponse(string Token, string ConversationId, string UserId, int ExpiresIn, string UserKey);

/// <summary>The resident chat page: Microsoft's Web Chat from our own origin, and the token it starts with.</summary>
public static partial class ChatPage
{
    public static WebApplication Map(WebApplication app)
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
        // A returning browser is the same user only with the key it was given: a bare user id (which staff and logs can
        // see) is not enough to speak as that resident.
        app.MapPost("/api/chat/token", (ChatTokenRequest? request, IDirectLineStore store, DirectLineTokens tokens,
            ChatUserKeys keys) =>
        {
            var userId = keys.UserOf(request?.UserKey) ?? "dl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var locale = request?.Locale is "en" or "en-US" ? "en-US" : "zh-CN";
            var conversation = store.Create(userId, locale);
            return TypedResults.Ok(new ChatTokenResponse(tokens.Issue(conversation.Id, userId), conversation.Id, userId, tokens.LifetimeSeconds, keys.KeyOf(userId)));
        }).WithTags("Chat").WithSummary("A Direct Line token for the resident chat page").RequireRateLimiting(Hosting.RateLimits.Conversations);
        return app;
    }

    [GeneratedRegex("^dl_[0-9a-f]{16,32}$")]
    private static partial Regex UserIdPattern();

    internal static bool IsUserId(string userId) => UserIdPattern().IsMatch(userId);
}

/// <summary>"{userId}.{HMAC}": a chat user id this server made, signed with a key of this database.</summary>
public sealed class ChatUserKeys(Storage.ISigningKeys keys)
{
    private readonly byte[] _key = keys.Load("chat.userKey");

    public string KeyOf(string userId) => userId + "." + Sign(userId);

    /// <returns>The user id the key was made for, or null for anything this server did not sign.</returns>
    public string? UserOf(string? key)
    {
        if (key is null || key.IndexOf('.') is var dot && dot <= 0) return null;
        var userId = key[..dot];
        return ChatPage.IsUserId(userId)
               && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(key[(dot + 1)..]), System.Text.Encoding.ASCII.GetBytes(Sign(userId)))
            ? userId
            : null;
    }

    private string Sign(string userId) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, System.Text.Encoding.ASCII.GetBytes(userId)))[..32];
}
