using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Linli.Hosting;

/// <summary>
/// How often one client may do what costs Linli or its residents something: mint a chat, guess a password, send a
/// message, upload a photo, ask the (possibly paid) model. Fixed windows per partition; "RateLimits:{policy}:PermitLimit"
/// and ":WindowSeconds" in configuration. Reading (GET) is never limited here. A refusal is a 429 problem+json with
/// Retry-After, logged and counted (meter "Linli", counter "linli.rate_limit.rejections").
/// </summary>
public static class RateLimits
{
    /// <summary>New chats: Direct Line tokens and conversations, per client address.</summary>
    public const string Conversations = "conversations";
    /// <summary>Sign-in attempts and sign-in links, per client address.</summary>
    public const string SignIn = "signin";
    /// <summary><c>/api/nlu/parse</c>, per client address (a paid model when one is configured).</summary>
    public const string Parse = "parse";
    /// <summary>Messages into one Direct Line conversation.</summary>
    public const string Chat = "chat";
    /// <summary>Photo uploads, per conversation or account.</summary>
    public const string Uploads = "uploads";
    /// <summary><c>/api/messages</c>, per client address: a Connector speaks for many people, so this one is wide.</summary>
    public const string Messages = "messages";
    /// <summary>Writes by a signed-in account: tickets, notices, the tea table.</summary>
    public const string Writes = "writes";

    private static readonly Dictionary<string, (int Permits, int Seconds)> Defaults = new()
    {
        [Conversations] = (30, 60), [SignIn] = (20, 60), [Parse] = (60, 60), [Chat] = (60, 60),
        [Uploads] = (20, 600), [Messages] = (6000, 60), [Writes] = (120, 60),
    };

    private static readonly Meter Meter = new("Linli");
    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>("linli.rate_limit.rejections", description: "Requests refused with 429");

    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            foreach (var (name, (permits, seconds)) in Defaults)
            {
                var section = configuration.GetSection($"RateLimits:{name}");
                var limit = new FixedWindowRateLimiterOptions
                {
                    PermitLimit = section.GetValue("PermitLimit", permits),
                    Window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", seconds)),
                    QueueLimit = 0,
                };
                o.AddPolicy(name, http => HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
                    ? RateLimitPartition.GetNoLimiter("read")
                    : RateLimitPartition.GetFixedWindowLimiter(name + "|" + PartitionKey(name, http), _ => limit));
            }
        });
        return builder;
    }

    /// <summary>Who a limit counts against: the conversation, the account, or else the client address.</summary>
    private static string PartitionKey(string policy, HttpContext http)
    {
        if (policy is Chat or Uploads && http.Request.RouteValues.TryGetValue("conversationId", out var conversation) && conversation is string c)
            return "c:" + c;
        if (policy is Writes or Uploads && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } person)
            return "p:" + person;
        return "ip:" + http.Connection.RemoteIpAddress;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "global";
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(60);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        Rejections.Add(1, new KeyValuePair<string, object?>("policy", policy));
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Linli.RateLimits")
            .LogWarning("Rate limit {Policy} refused {Method} {Path} from {Address}; retry after {Seconds} s",
                policy, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress, seconds);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"Please wait {seconds} seconds and try again.").ExecuteAsync(http);
    }
}

/// <summary>
/// Hub methods, per connection: a token bucket for every call ("RateLimits:hub"), and a tighter one for <c>Typing</c>,
/// which the pages send at most every few seconds. Over the limit a call fails with a HubException the page can show.
/// </summary>
public sealed class HubRateLimitFilter(IConfiguration configuration, ILogger<HubRateLimitFilter> logger) : Microsoft.AspNetCore.SignalR.IHubFilter
{
    private const string CallsKey = "linli.rate.calls";
    private const string TypingKey = "linli.rate.typing";
    private static readonly Meter Meter = new("Linli.Hubs");
    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>("linli.rate_limit.rejections", description: "Hub calls refused");

    public async ValueTask<object?> InvokeMethodAsync(Microsoft.AspNetCore.SignalR.HubInvocationContext invocation,
        Func<Microsoft.AspNetCore.SignalR.HubInvocationContext, ValueTask<object?>> next)
    {
        var items = invocation.Context.Items;
        var typing = invocation.HubMethodName == "Typing";
        var key = typing ? TypingKey : CallsKey;
        if (!items.TryGetValue(key, out var found) || found is not TokenBucketRateLimiter limiter)
            items[key] = limiter = typing ? Bucket("hubTyping", 1, 1, 2) : Bucket("hub", 30, 10, 1);
        // Tokens come back for the time since the last call: no timer per connection ticking while it sits idle.
        limiter.TryReplenish();
        using var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Rejections.Add(1, new KeyValuePair<string, object?>("method", invocation.HubMethodName));
            logger.LogWarning("Rate limit refused hub call {Method} on connection {Connection}", invocation.HubMethodName, invocation.Context.ConnectionId);
            throw new Microsoft.AspNetCore.SignalR.HubException("Too many requests: please wait a moment and try again.");
        }
        return await next(invocation);
    }

    public Task OnDisconnectedAsync(Microsoft.AspNetCore.SignalR.HubLifetimeContext context, Exception? exception,
        Func<Microsoft.AspNetCore.SignalR.HubLifetimeContext, Exception?, Task> next)
    {
        foreach (var key in new[] { CallsKey, TypingKey })
            if (context.Context.Items.TryGetValue(key, out var limiter)) (limiter as IDisposable)?.Dispose();
        return next(context, exception);
    }

    /// <param name="burst">Calls at once.</param><param name="perPeriod">Calls given back each period.</param>
    private TokenBucketRateLimiter Bucket(string name, int burst, int perPeriod, int periodSeconds)
    {
        var section = configuration.GetSection($"RateLimits:{name}");
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = section.GetValue("TokenLimit", burst),
            TokensPerPeriod = section.GetValue("TokensPerPeriod", perPeriod),
            ReplenishmentPeriod = TimeSpan.FromSeconds(section.GetValue("PeriodSeconds", periodSeconds)),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
    }
}
