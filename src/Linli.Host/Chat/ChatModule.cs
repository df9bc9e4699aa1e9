using Linli.Bot.Dialogs;
using Linli.Bot.Turns;
using Linli.Channels;
using Linli.Phrases;

namespace Linli.Chat;

/// <summary>
/// The bot, the turn runner every channel calls, and where conversations are remembered; the resident chat page.
/// The features' own services and dialog handlers are registered by their modules (<c>AddTickets</c>,
/// <c>AddResidents</c>…).
/// </summary>
public static class ChatModule
{
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        var dialogsFolder = Path.Combine(AppContext.BaseDirectory, "dialogs");
        builder.Services.AddSingleton(_ => CommonPhrases.Load(dialogsFolder));
        builder.Services.AddSingleton<ConversationEventQueue>();
        builder.Services.AddSingleton<IConversationEvents>(sp => sp.GetRequiredService<ConversationEventQueue>());
        builder.Services.AddHostedService<ConversationContinuer>();
        builder.Services.AddSingleton<ChatUserKeys>();
        var idleMinutes = builder.Configuration.GetValue<int?>("Dialogs:IdleMinutes") ?? 30;
        builder.Services.AddSingleton(sp => new DialogManager(
            DialogLoader.LoadFolder(dialogsFolder),
            sp.GetServices<IDialogHandler>(),
            sp.GetServices<IDialogValidator>(),
            sp.GetRequiredService<CommonPhrases>().Engine,
            new DialogOptions { IdleTimeout = TimeSpan.FromMinutes(idleMinutes) },
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<TicketTalk>();
        builder.Services.AddSingleton<InDialog>();
        builder.Services.AddSingleton<IntentRouter>();
        builder.Services.AddSingleton<LinliBot>();
        builder.Services.AddSingleton<IBot>(sp => sp.GetRequiredService<LinliBot>());
        builder.Services.AddHostedService<DialogStartup>();
        builder.Services.AddSingleton<IProactiveMessenger, ProactiveMessenger>();
        builder.Services.AddSingleton(sp =>
        {
            var bot = sp.GetRequiredService<LinliBot>();
            return new TurnRunner(bot, sp.GetRequiredService<IConversationStateStore>(),
                sp.GetRequiredService<IConversationReferenceStore>(), sp.GetRequiredService<ILogger<TurnRunner>>(),
                sp.GetRequiredService<ITranscriptLogger>(), sp.GetService<ITurnGate>())
            {
                OnTurnError = (turn, _) => bot.ApologizeAsync(turn),
            };
        });
        return builder;
    }

    /// <summary>The chat page with Web Chat and the SignalR client served from our own origin.</summary>
    public static WebApplication MapChat(this WebApplication app) => ChatPage.Map(app);
}

/// <summary>
/// Loads every dialog and trains the classifier at start-up, so a broken YAML file or an unknown handler stops Linli
/// before it serves anyone.
/// </summary>
internal sealed class DialogStartup(DialogManager dialogs, Linli.Bot.Understanding.IRecognizer recognizer,
    Linli.Understanding.LocalRecognizer local) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the recognizers loads (or trains) the classifier now, not on a resident's first message; one
        // sentence through it readies its prediction engine and segmenter.
        _ = recognizer;
        await local.RecognizeAsync("3栋电梯坏了", "zh-CN", cancellationToken);
        var missing = dialogs.MissingNames().ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"dialogs/ names what no C# registers: {string.Join(", ", missing)}.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
