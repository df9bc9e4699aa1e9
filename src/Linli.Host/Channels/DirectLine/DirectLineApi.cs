using System.Text.Json.Serialization;
using Linli.Bot.Schema;
using Microsoft.Extensions.Options;

namespace Linli.Channels.DirectLine;

public sealed record DirectLineConversationResponse(
    string ConversationId, string Token,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    string? StreamUrl);

public sealed record TokenRequest(TokenRequestUser? User, string? Locale);

public sealed record TokenRequestUser(string? Id, string? Name);

/// <summary>Direct Line 3.0 as Microsoft's clients (Web Chat, botframework-directlinejs) call it.</summary>
public static class DirectLineApi
{
    public const string Prefix = "/v3/directline";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix).WithTags("Direct Line").RequireCors(DirectLineModule.CorsPolicy);
        group.MapPost("/tokens/generate", GenerateToken).RequireRateLimiting(Hosting.RateLimits.Conversations);
        group.MapPost("/tokens/refresh", RefreshToken);
        group.MapPost("/conversations", StartConversation).RequireRateLimiting(Hosting.RateLimits.Conversations);
        group.MapGet("/conversations/{conversationId}", Reconnect);
        group.MapGet("/conversations/{conversationId}/activities", GetActivities);
        group.MapPost("/conversations/{conversationId}/activities", PostActivity).RequireRateLimiting(Hosting.RateLimits.Chat);
        group.MapPost("/conversations/{conversationId}/upload", DirectLineUploads.Upload).DisableAntiforgery()
            .RequireRateLimiting(Hosting.RateLimits.Uploads);
        group.MapGet("/attachments/{fileId}", DirectLineUploads.Download);
        group.Map("/conversations/{conversationId}/stream", DirectLineSocket.Stream);
        return routes;
    }

    private static async Task<IResult> GenerateToken(HttpContext http, DirectLineTokens tokens, IDirectLineStore store,
        IOptions<DirectLineOptions> options, CancellationToken cancellationToken)
    {
        var (body, bad) = await ReadTokenRequestAsync(http, cancellationToken);
        if (bad is not null) return bad;

        var (caller, problem) = await DirectLineAuth.IdentifyAsync(http, tokens);
        if (problem is not null) return problem;
        if (!caller.HasSecret && !string.IsNullOrEmpty(options.Value.Secret))
            return DirectLineAuth.Unauthorized("Minting a token needs the Direct Line secret.");

        var conversation = store.Create(NonEmpty(body?.User?.Id), NonEmpty(body?.Locale));
        return Results.Ok(new DirectLineConversationResponse(conversation.Id, tokens.Issue(conversation.Id, conversation.UserId), tokens.LifetimeSeconds, null));
    }

    private static async Task<IResult> RefreshToken(HttpContext http, DirectLineTokens tokens)
    {
        var (caller, problem) = await DirectLineAuth.IdentifyAsync(http, tokens);
        if (problem is not null) return problem;
        if (caller.Grant is not { } grant) return DirectLineAuth.Unauthorized("Refreshing needs a current token.");
        return Results.Ok(new DirectLineConversationResponse(grant.ConversationId, tokens.Issue(grant.ConversationId, grant.UserId), tokens.LifetimeSeconds, null));
    }

    private static async Task<IResult> StartConversation(HttpContext http, DirectLineTokens tokens,
        IDirectLineStore store,
        DirectLineChannel channel, IOptions<DirectLineOptions> options, CancellationToken cancellationToken)
    {
        var (caller, problem) = await DirectLineAuth.IdentifyAsync(http, tokens);
        if (problem is not null) return problem;
        var (body, bad) = await ReadTokenRequestAsync(http, cancellationToken);
        if (bad is not null) return bad;

        DirectLineConversation? conversation;
        if (caller.Grant is { } grant)
        {
            conversation = store.Find(grant.ConversationId);
            if (conversation is null) return DirectLineAuth.NotFound(grant.ConversationId);
        }
        else if (caller.HasSecret || string.IsNullOrEmpty(options.Value.Secret))
            conversation = store.Create(NonEmpty(body?.User?.Id), NonEmpty(body?.Locale));
        else
            return DirectLineAuth.Unauthorized("Starting a conversation needs the Direct Line secret or a token.");

        var token = caller.Grant is not null ? http.Request.Headers.Authorization.ToString()[7..].Trim() : tokens.Issue(conversation.Id, conversation.UserId);
        var created = !conversation.Started;
        await channel.StartAsync(conversation, ServiceUrl(http), cancellationToken);
        var response = new DirectLineConversationResponse(conversation.Id, token, tokens.LifetimeSeconds, StreamUrl(http, conversation.Id, token, null));
        return created ? Results.Created($"{Prefix}/conversations/{conversation.Id}", response) : Results.Ok(response);
    }

    private static async Task<IResult> Reconnect(string conversationId, string? watermark, HttpContext http,
        DirectLineTokens tokens, IDirectLineStore store)
    {
        var (caller, problem) = await Authorize(http, tokens, conversationId);
        if (problem is not null) return problem;
        var conversation = store.Find(conversationId);
        if (conversation is null) return DirectLineAuth.NotFound(conversationId);

        var token = caller.Grant is not null ? http.Request.Headers.Authorization.ToString()[7..].Trim() : tokens.Issue(conversationId, conversation.UserId);
        return Results.Ok(new DirectLineConversationResponse(conversationId, token, tokens.LifetimeSeconds,
            StreamUrl(http, conversationId, token, ParseWatermark(watermark))));
    }

    private static async Task<IResult> GetActivities(string conversationId, string? watermark, HttpContext http,
        DirectLineTokens tokens, IDirectLineStore store)
    {
        var (_, problem) = await Authorize(http, tokens, conversationId);
        if (problem is not null) return problem;
        var conversation = store.Find(conversationId);
        if (conversation is null) return DirectLineAuth.NotFound(conversationId);

        var after = ParseWatermark(watermark);
        var records = store.After(conversationId, after);
        var latest = records.Count > 0 ? records[^1].Seq : Math.Max(after, 0);
        return Results.Bytes(ActivitySet.Utf8(records, latest), "application/json");
    }

    private static async Task<IResult> PostActivity(string conversationId, HttpContext http, DirectLineTokens tokens,
        IDirectLineStore store,
        DirectLineChannel channel, CancellationToken cancellationToken)
    {
        var (caller, problem) = await Authorize(http, tokens, conversationId);
        if (problem is not null) return problem;
        if (store.Find(conversationId) is null) return DirectLineAuth.NotFound(conversationId);

        var read = await ActivityReader.ReadAsync(http.Request, ActivityReader.DefaultMaxBytes, cancellationToken);
        if (read.Problem is not null) return read.Problem;
        return await PostAsync(conversationId, read.Activity!, caller, http, channel, cancellationToken);
    }

    /// <summary>Posts as the token's user when the token names one; otherwise the client must say who it is.</summary>
    internal static async Task<IResult> PostAsync(string conversationId, Activity activity, DirectLineCaller caller, HttpContext http,
        DirectLineChannel channel, CancellationToken cancellationToken)
    {
        activity.From ??= new ChannelAccount();
        if (caller.Grant?.UserId is { } userId) activity.From.Id = userId;
        if (string.IsNullOrWhiteSpace(activity.From.Id))
            return ActivityReader.Bad("The activity has no sender.", "Set from.id, or use a token issued for a user.").Problem!;

        var id = await channel.PostFromUserAsync(conversationId, activity, ServiceUrl(http), cancellationToken);
        return Results.Ok(new { id });
    }

    /// <summary>The optional <c>{"user":{"id":…},"locale":…}</c> body; clients often post none at all.</summary>
    private static async Task<(TokenRequest? Body, IResult? Problem)> ReadTokenRequestAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength is null or 0 && http.Request.Headers.TransferEncoding.Count == 0) return (null, null);
        try { return (await http.Request.ReadFromJsonAsync<TokenRequest>(cancellationToken), null); }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return (null, ActivityReader.Bad("The body is not valid JSON.", ex.Message).Problem);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    internal static async Task<(DirectLineCaller Caller, IResult? Problem)> Authorize(HttpContext http, DirectLineTokens tokens, string conversationId)
    {
        var (caller, problem) = await DirectLineAuth.IdentifyAsync(http, tokens);
        if (problem is not null) return (caller, problem);
        if (!caller.HasSecret && caller.Grant is null) return (caller, DirectLineAuth.Unauthorized("This conversation needs its token."));
        return caller.MayUse(conversationId) ? (caller, null) : (caller, DirectLineAuth.Forbidden());
    }

    /// <summary>An empty or missing watermark means "from the start".</summary>
    internal static int ParseWatermark(string? watermark) => int.TryParse(watermark, out var w) && w > 0 ? w : 0;

    internal static string ServiceUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{Prefix}/";

    private static string StreamUrl(HttpContext http, string conversationId, string token, int? watermark)
    {
        var scheme = http.Request.IsHttps ? "wss" : "ws";
        var url = $"{scheme}://{http.Request.Host}{Prefix}/conversations/{Uri.EscapeDataString(conversationId)}/stream?t={Uri.EscapeDataString(token)}";
        return watermark is > 0 ? url + $"&watermark={watermark}" : url;
    }
}
