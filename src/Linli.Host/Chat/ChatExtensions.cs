using Linli.Bot.Turns;
using Linli.Channels;

namespace Linli.Chat;

public static class ChatExtensions
{
    /// <summary>The bot, the turn runner every channel calls, and where conversations are remembered.</summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(_ => CommonPhrases.Load(Path.Combine(AppContext.BaseDirectory, "dialogs")));
        builder.Services.AddSingleton<LinliBot>();
        builder.Services.AddSingleton<IBot>(sp => sp.GetRequiredService<LinliBot>());
        builder.Services.AddSingleton<IConversationStateStore, LiteDbConversationStateStore>();
        builder.Services.AddSingleton<IConversationReferenceStore, LiteDbConversationReferenceStore>();
        builder.Services.AddSingleton<IProactiveMessenger, ProactiveMessenger>();
        builder.Services.AddSingleton(sp =>
        {
            var bot = sp.GetRequiredService<LinliBot>();
            return new TurnRunner(bot, sp.GetRequiredService<IConversationStateStore>(),
                sp.GetRequiredService<IConversationReferenceStore>(), sp.GetRequiredService<ILogger<TurnRunner>>())
            {
                OnTurnError = (turn, _) => bot.ApologizeAsync(turn),
            };
        });
        return builder;
    }
}
