using Linli.Hosting;

namespace Linli.TeaTable;

/// <summary>
/// The tea table's services: reading and writing, moderation, proposals and votes, views and tallies, the live hub's
/// feed, the clock, summaries and the chat's dialog handlers. Its stores come with the storage (AddLiteDbStores).
/// </summary>
public static class TeaTableModule
{
    public static IHostApplicationBuilder AddTeaTable(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<TeaTableOptions>(TeaTableOptions.SectionName);
        builder.Services.AddSingleton<TeaTableDirectory>();
        builder.Services.AddSingleton<TeaTableTally>();
        builder.Services.AddSingleton<TeaTableViews>();
        builder.Services.AddSingleton<TeaTableThreads>();
        builder.Services.AddSingleton<TeaTablePosts>();
        builder.Services.AddSingleton<TeaTableModeration>();
        builder.Services.AddSingleton<TeaTableVoting>();
        builder.Services.AddSingleton<TeaTablePresence>();
        builder.Services.AddSingleton<TeaTableSummaries>();
        builder.Services.AddSingleton<TeaTableFeed>();
        builder.Services.AddSingleton<ITeaTableFeed>(sp => sp.GetRequiredService<TeaTableFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TeaTableFeed>());
        // One clock: the background work, and the same instance for callers that run a step at once.
        builder.Services.AddSingleton<TeaTableTimers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TeaTableTimers>());
        builder.Services.AddSingleton<TeaTableChatParts>();
        Type[] handlers = [typeof(TeaTableChooseHandler), typeof(TeaTableStartHandler), typeof(TeaTableReplyHandler)];
        foreach (var handler in handlers)
            builder.Services.AddSingleton(typeof(Bot.Dialogs.IDialogHandler), handler);
        return builder;
    }

    public static WebApplication MapTeaTable(this WebApplication app) => TeaTableApi.Map(app);
}
