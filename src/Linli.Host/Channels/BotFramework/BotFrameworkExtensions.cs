using Linli.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Linli.Channels.BotFramework;

public static class BotFrameworkExtensions
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

        builder.Services.AddSingleton<ConnectorOutbox>();
        builder.Services.AddSingleton<ConnectorTokenProvider>();
        builder.Services.AddHostedService<ConnectorDelivery>();
        builder.Services.AddHttpClient(ConnectorTokenProvider.HttpClientName);
        // Quick retries on 5xx and time-outs; the outbox retries longer outages.
        var retryDelay = builder.Configuration.GetValue<int?>($"{BotFrameworkOptions.SectionName}:RetryDelayMilliseconds") ?? 1000;
        builder.Services.AddHttpClient<ConnectorClient>()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(retryDelay);
                resilience.Retry.MaxRetryAttempts = 3;
            });
        return builder;
    }
}
