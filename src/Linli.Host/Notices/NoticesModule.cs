using Linli.Bot.Dialogs;
using Microsoft.SemanticKernel;

namespace Linli.Notices;

/// <summary>Notices to a community, a building or a flat, and the chat's answer about them.</summary>
public static class NoticesModule
{
    public static IHostApplicationBuilder AddNotices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NoticeService>();
        builder.Services.AddSingleton<IDialogHandler, NoticeHandler>();
        builder.Services.AddSingleton(sp =>
            KernelPluginFactory.CreateFromType<NoticesPlugin>(NoticesPlugin.PluginName, sp));
        return builder;
    }

    public static IEndpointRouteBuilder MapNotices(this IEndpointRouteBuilder routes) => NoticesApi.Map(routes);
}
