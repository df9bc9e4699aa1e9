using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Linli.Channels.BotFramework;

/// <summary>Posts activities to a Connector's <c>/v3/conversations/{id}/activities[/{replyToId}]</c>.</summary>
public sealed class ConnectorClient(HttpClient http, ConnectorTokenProvider tokens, IOptions<BotFrameworkOptions> options)
{
    public async Task<HttpResponseMessage> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var url = $"{item.ServiceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(item.ConversationId)}/activities";
        if (!string.IsNullOrEmpty(item.ReplyToId)) url += "/" + Uri.EscapeDataString(item.ReplyToId);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(item.Json, Encoding.UTF8, "application/json"),
        };
        if (options.Value.RequiresAuthentication)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(cancellationToken));
        return await http.SendAsync(request, cancellationToken);
    }
}

/// <summary>The bot's own token for calling the Connector (OAuth client credentials), cached until near expiry.</summary>
public sealed class ConnectorTokenProvider(IHttpClientFactory factory, IOptions<BotFrameworkOptions> options, TimeProvider time)
{
    public const string HttpClientName = "botframework-token";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset Until)? _cached;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } c && c.Until > time.GetUtcNow()) return c.Token;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.Until > time.GetUtcNow()) return again.Token;
            var o = options.Value;
            using var response = await factory.CreateClient(HttpClientName).PostAsync(o.TokenEndpoint, new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = o.AppId!,
                    ["client_secret"] = o.AppPassword ?? "",
                    ["scope"] = o.OAuthScope,
                }), cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                       ?? throw new InvalidOperationException("The token endpoint answered with no token.");
            // Renew five minutes early so a reply never leaves with a token about to expire.
            _cached = (body.access_token, time.GetUtcNow().AddSeconds(Math.Max(60, body.expires_in - 300)));
            return body.access_token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record TokenResponse(string access_token, int expires_in);
}
