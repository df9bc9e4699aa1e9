using Linli.Channels.WeChat;
using Linli.Hosting;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Linli.Channels.WeCom;

/// <summary>
/// WeCom (企业微信) for staff: pages and assignments reach their phones, and they reply from there.
/// </summary>
public static class WeComModule
{
    /// <summary>
    /// The WeCom app for staff. Comes after <c>AddChat()</c>: it wraps the pager and the assignment notifier
    /// registered there, so pages still reach the log (and whatever else pages) as before.
    /// </summary>
    public static IHostApplicationBuilder AddWeCom(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<WeComOptions>(WeComOptions.SectionName);
        builder.Services.TryAddSingleton<TextOutbox>();
        builder.Services.AddSingleton<WeComOutbox>();
        builder.Services.AddSingleton<WeComReplies>();
        builder.Services.TryAddSingleton<StaleCallbackLog>();
        // One client, so one access token. No automatic retries: a page sent twice is read twice; the outbox retries.
        builder.Services.AddHttpClient(WeComClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<WeComClient>();
        builder.Services.AddHostedService<WeComDelivery>();
        Decorate<IStaffPager>(builder.Services,
            (sp, inner) => ActivatorUtilities.CreateInstance<WeComStaffPager>(sp, inner));
        Decorate<IStaffNotifier>(builder.Services,
            (sp, inner) => ActivatorUtilities.CreateInstance<WeComStaffNotifier>(sp, inner));
        return builder;
    }

    public static IEndpointRouteBuilder MapWeCom(this IEndpointRouteBuilder routes) => WeComApi.Map(routes);

    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> wrap) where T : class
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(T) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"AddWeCom() comes after AddChat(), which adds {typeof(T).Name}.");
        services.Remove(inner);
        services.Add(ServiceDescriptor.Describe(typeof(T), sp => wrap(sp, (T)Create(sp, inner)), inner.Lifetime));
    }

    private static object Create(IServiceProvider sp, ServiceDescriptor d) =>
        d.ImplementationInstance
        ?? d.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!);
}
