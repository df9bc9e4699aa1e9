using Linli.Bot.Dialogs;

namespace Linli.Notices;

/// <summary>Notices to a community, a building or a flat, and the chat's answer about them.</summary>
public static class NoticesModule
{
    public static IHostApplicationBuilder AddNotices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NoticeService>();
        builder.Services.AddSingleton<IDialogHandler, NoticeHandler>();
        return builder;
    }
}
