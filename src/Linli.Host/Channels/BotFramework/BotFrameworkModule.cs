using Linli.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Linli.Channels.BotFramework;

/// <summary>
/// Any Bot Framework channel through the Bot Connector: JWT-checked activities on /api/messages, replies through the
/// connector's REST API with an outbox that retries.
/// </summary>
public static class BotFrameworkModule
{
    public const string AuthenticationScheme = "BotConnector";

    public static IHostApplicationBuilder AddBotFramework(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<BotFrameworkOptions>(BotFrameworkOptions.SectionName);

        // Tokens from the Connector: signed by keys its OpenID metadata lists, issued for our app id.
        builder.Services.AddAuthentication().AddJwtBearer(AuthenticationScheme, _ => { });
        builder.Services.AddOptions<JwtBearerOptions>(AuthenticationScheme)
            .Configure<IOptions<BotFrameworkOptions>>((jwt, bot) =>
            {
                var o = bot.Value;
                jwt.MetadataAddress = o.OpenIdMetadataUrl;
                jwt.RequireHttpsMetadata = o.OpenIdMetadataUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuers = o.ValidIssuers,
                    ValidAudience = o.AppId,
                    ValidateLifetime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromMinutes(5),
                };
            });

        builder.Services.AddSingleton<ServiceUrls>();
        builder.Services.AddSingleton<ConnectorOutbox>();
        builder.Services.AddSingleton<ConnectorTokenProvider>();
        builder.Services.AddHostedService<ConnectorDelivery>();
        builder.Services.AddHttpClient(ConnectorTokenProvider.HttpClientName);
        // Quick retries on 5xx and time-outs; the outbox retries longer outages.
        // Each attempt has its own time-out, so one Connector that never answers costs its own queue, not the others'.
        var retryDelay = builder.Configuration.GetValue<int?>($"{BotFrameworkOptions.SectionName}:RetryDelayMilliseconds") ?? 1000;
        var attemptTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue<int?>($"{BotFrameworkOptions.SectionName}:DeliveryTimeoutSeconds") ?? 10);
        builder.Services.AddHttpClient<ConnectorClient>()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(retryDelay);
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.AttemptTimeout.Timeout = attemptTimeout;
                resilience.TotalRequestTimeout.Timeout = attemptTimeout * 4 + TimeSpan.FromMilliseconds(retryDelay * 8);
                resilience.CircuitBreaker.SamplingDuration = attemptTimeout * 2 < TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : attemptTimeout * 2;
            })
            // A circuit per Connector host: one host failing never opens the circuit for the others.
            .SelectPipelineByAuthority();
        return builder;
    }

    public static IEndpointRouteBuilder MapBotFramework(this IEndpointRouteBuilder routes) => MessagesApi.Map(routes);
}
