using Linli.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeChat;

/// <summary>
/// The WeChat official account: signed callbacks, replies within the platform's time or later through its API, the
/// menu, and OAuth to bind a flat.
/// </summary>
public static class WeChatModule
{
    public static IHostApplicationBuilder AddWeChat(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<WeChatOptions>(WeChatOptions.SectionName);
        builder.Services.TryAddSingleton<TextOutbox>();
        builder.Services.AddSingleton<WeChatOutbox>();
        builder.Services.AddSingleton<WeChatChannel>();
        builder.Services.TryAddSingleton<StaleCallbackLog>();
        // No automatic retries: a customer-service message sent twice is read twice. The outbox retries instead.
        builder.Services.AddHttpClient(WeChatClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        // One client, so one access token: each fetch of a new one ends the last one's life within minutes.
        builder.Services.AddSingleton<WeChatClient>();
        builder.Services.AddHostedService<WeChatDelivery>();
        builder.Services.AddHostedService<WeChatMenuSetup>();
        return builder;
    }

    public static IEndpointRouteBuilder MapWeChat(this IEndpointRouteBuilder routes)
    {
        WeChatApi.Map(routes);
        WeChatOAuth.Map(routes);
        return routes;
    }
}

/// <summary>Creates the account's custom menu from configuration at start, when one is configured.</summary>
internal sealed class WeChatMenuSetup(
    IServiceProvider services, IOptions<WeChatOptions> options, ILogger<WeChatMenuSetup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || o.Menu.Count == 0) return;
        var result = await services.GetRequiredService<WeChatClient>().CreateMenuAsync(o.Menu, stoppingToken);
        if (result.Ok) logger.LogInformation("WeChat menu set: {Buttons} buttons", o.Menu.Count);
        else logger.LogWarning("WeChat refused the menu: {Result}", result);
    }
}
