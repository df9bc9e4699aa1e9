using Microsoft.Extensions.Options;

namespace Linli.Channels.BotFramework;

/// <summary>
/// Where a channel may have Linli post its replies. An activity names its own <c>serviceUrl</c>, so without a list
/// anyone could make Linli call any address; and whether activities without a token are taken at all.
/// </summary>
public sealed class ServiceUrls
{
    private readonly string[] _hosts;

    public ServiceUrls(IOptions<BotFrameworkOptions> options, IHostEnvironment environment, ILogger<ServiceUrls> logger)
    {
        var o = options.Value;
        var development = environment.IsDevelopment();
        _hosts = development ? [.. o.ServiceUrlHosts, "localhost", "127.0.0.1", "[::1]"] : o.ServiceUrlHosts;
        AnonymousAllowed = development || o.AllowAnonymous;
        if (!o.RequiresAuthentication && o.AllowAnonymous && !development)
            logger.LogWarning("BotFramework:AllowAnonymous is on: /api/messages takes activities without a token, so anyone who can reach it " +
                "can speak as any channel user. Use it only on a closed network.");
    }

    /// <summary>Activities without a Bot Framework token are taken (Development, or AllowAnonymous).</summary>
    public bool AnonymousAllowed { get; }

    public bool Allows(Uri serviceUrl) =>
        serviceUrl.Scheme is "https" || (serviceUrl.Scheme is "http" && serviceUrl.IsLoopback)
            ? _hosts.Any(h => Matches(h, serviceUrl.Host))
            : false;

    private static bool Matches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(pattern.Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
}
