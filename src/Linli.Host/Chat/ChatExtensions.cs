using Microsoft.AspNetCore.SignalR;
using Linli.Residents.Sms;
using Linli.Bot.Dialogs;
using Linli.Bot.Turns;
using Linli.Channels;
using Linli.Hosting;

namespace Linli.Chat;

public static class ChatExtensions
{
    /// <summary>The bot, the turn runner every channel calls, and where conversations are remembered.</summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        var dialogsFolder = Path.Combine(AppContext.BaseDirectory, "dialogs");
        builder.Services.AddSingleton(_ => CommonPhrases.Load(dialogsFolder));
        builder.Services.AddSingleton<Linli.Tickets.TicketService>();
        builder.AddCheckedOptions<Linli.Tickets.TicketOptions>(Linli.Tickets.TicketOptions.SectionName);
        builder.AddCheckedOptions<Linli.Fees.FeesOptions>(Linli.Fees.FeesOptions.SectionName);
        builder.Services.AddSingleton<Linli.Tickets.IStaffPager, Linli.Tickets.LoggingStaffPager>();
        builder.Services.AddSingleton<Linli.Tickets.IStaffNotifier, Linli.Tickets.NoStaffNotifier>();
        builder.Services.AddHostedService<Linli.Tickets.EmergencyEscalation>();
        builder.Services.AddHostedService<Linli.Tickets.SlaMonitor>();
        builder.Services.AddSingleton<Linli.StaffConsole.HandoffService>();
        builder.Services.AddSingleton<Linli.StaffConsole.TranscriptStore>();
        builder.Services.AddSingleton<Linli.Bot.Turns.ITranscriptLogger>(sp => sp.GetRequiredService<Linli.StaffConsole.TranscriptStore>());
        // Enums as names, as on the REST API, for the console's JavaScript.
        builder.Services.AddSignalR(o => o.AddFilter<HubRateLimitFilter>()).AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddSingleton<Linli.StaffConsole.StaffConsoleFeed>();
        builder.Services.AddSingleton<Linli.Tickets.ITicketFeed>(sp => sp.GetRequiredService<Linli.StaffConsole.StaffConsoleFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Linli.StaffConsole.StaffConsoleFeed>());
        builder.Services.AddSingleton<ConversationContinuer>();
        builder.Services.AddSingleton<Linli.Residents.ResidentDirectory>();
        builder.AddSms();
        builder.Services.AddSingleton<ChatUserKeys>();
        builder.AddCheckedOptions<Linli.Residents.CodeLimits>(Linli.Residents.CodeLimits.SectionName);
        builder.Services.AddSingleton<Linli.Notices.NoticeService>();
        builder.Services.AddSingleton<Linli.Fees.ArrearsReminders>();
        builder.Services.AddSingleton<Linli.Accounts.AuditTrail>();
        builder.Services.AddSingleton<Linli.Transparency.OpenAccountsAnswers>();
        foreach (var handler in new[]
                 {
                     typeof(Linli.Tickets.RepairRequestHandler), typeof(Linli.Tickets.ComplaintHandler),
                     typeof(Linli.Tickets.MediationOfferHandler), typeof(Linli.Tickets.HazardReportHandler), typeof(Linli.Tickets.EmergencyAlarmHandler),
                     typeof(Linli.Tickets.EmergencyLocationHandler), typeof(Linli.Tickets.TicketRatingHandler), typeof(Linli.Tickets.TicketAnswerHandler), typeof(Linli.Tickets.TicketPhotosHandler), typeof(Linli.TeaTable.TeaTableChooseHandler), typeof(Linli.TeaTable.TeaTableStartHandler), typeof(Linli.TeaTable.TeaTableReplyHandler), typeof(Linli.Notices.NoticeHandler),
                     typeof(Linli.Fees.FeeQueryHandler), typeof(Linli.Residents.SendCodeHandler), typeof(Linli.Residents.VerifyCodeHandler), typeof(Linli.Residents.OwnUnitHandler),
                     typeof(Linli.Transparency.OpenAccountsHandler), typeof(Linli.Mediation.MediationChatHandler),
                 })
            builder.Services.AddSingleton(typeof(IDialogHandler), handler);
        builder.Services.AddSingleton<IDialogValidator, Linli.Tickets.UnitExistsValidator>();
        var idleMinutes = builder.Configuration.GetValue<int?>("Dialogs:IdleMinutes") ?? 30;
        builder.Services.AddSingleton(sp => new DialogManager(
            DialogLoader.LoadFolder(dialogsFolder),
            sp.GetServices<IDialogHandler>(),
            sp.GetServices<IDialogValidator>(),
            sp.GetRequiredService<CommonPhrases>().Engine,
            new DialogOptions { IdleTimeout = TimeSpan.FromMinutes(idleMinutes) },
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<LinliBot>();
        builder.Services.AddSingleton<IBot>(sp => sp.GetRequiredService<LinliBot>());
        builder.Services.AddHostedService<DialogStartup>();
        builder.Services.AddSingleton<IConversationStateStore, LiteDbConversationStateStore>();
        builder.Services.AddSingleton<IConversationReferenceStore, LiteDbConversationReferenceStore>();
        builder.Services.AddSingleton<IProactiveMessenger, ProactiveMessenger>();
        builder.Services.AddSingleton(sp =>
        {
            var bot = sp.GetRequiredService<LinliBot>();
            return new TurnRunner(bot, sp.GetRequiredService<IConversationStateStore>(),
                sp.GetRequiredService<IConversationReferenceStore>(), sp.GetRequiredService<ILogger<TurnRunner>>(),
                sp.GetRequiredService<ITranscriptLogger>())
            {
                OnTurnError = (turn, _) => bot.ApologizeAsync(turn),
            };
        });
        return builder;
    }
}

/// <summary>Loads every dialog and trains the classifier at start-up, so a broken YAML file or an unknown handler stops Linli before it serves anyone.</summary>
internal sealed class DialogStartup(DialogManager dialogs, Linli.Bot.Understanding.IRecognizer recognizer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the recognizer trains the classifier now (about a second), not on a resident's first message.
        _ = recognizer;
        var missing = dialogs.MissingNames().ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"dialogs/ names what no C# registers: {string.Join(", ", missing)}.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
