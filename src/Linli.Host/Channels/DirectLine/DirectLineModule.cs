using Linli.Hosting;

namespace Linli.Channels.DirectLine;

/// <summary>
/// The Direct Line 3.0 channel Microsoft's clients speak (Web Chat, the Direct Line client): tokens, conversations,
/// activities over HTTP and WebSocket.
/// </summary>
public static class DirectLineModule
{
    public const string CorsPolicy = "DirectLine";

    public static IHostApplicationBuilder AddDirectLine(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<DirectLineOptions>(DirectLineOptions.SectionName);
        builder.Services.AddSingleton<DirectLineTokens>();
        builder.Services.AddSingleton<DirectLineStreams>();
        builder.Services.AddSingleton<DirectLineOutbound>();
        builder.Services.AddSingleton<DirectLineChannel>();

        // The chat may be embedded on a community's own site, so Web Chat calls us from another origin.
        var origins = builder.Configuration.GetSection($"{DirectLineOptions.SectionName}:AllowedOrigins").Get<string[]>() ?? [];
        var anyOrigin = builder.Environment.IsDevelopment() && origins.Length == 0;
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            if (anyOrigin) policy.AllowAnyOrigin(); else policy.WithOrigins(origins);
            policy.WithHeaders("Authorization", "Content-Type", "x-ms-bot-agent", "x-requested-with")
                .WithMethods("GET", "POST", "OPTIONS");
        }));
        return builder;
    }

    public static IEndpointRouteBuilder MapDirectLine(this IEndpointRouteBuilder routes) => DirectLineApi.Map(routes);
}
