using Linli.Bot.Dialogs;
using Linli.Hosting;
using Microsoft.SemanticKernel;

namespace Linli.Tickets;

/// <summary>
/// Tickets: the service, its service levels and the emergency roster's timers, how staff are paged and told of
/// assignments (the log by default; WeCom wraps these), and the chat's ticket dialogs.
/// </summary>
public static class TicketsModule
{
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<TicketOptions>(TicketOptions.SectionName);
        builder.Services.AddSingleton<TicketService>();
        builder.Services.AddSingleton<IStaffPager, LoggingStaffPager>();
        builder.Services.AddSingleton<IStaffNotifier, NoStaffNotifier>();
        builder.Services.AddHostedService<EmergencyEscalation>();
        builder.Services.AddHostedService<SlaMonitor>();
        foreach (var handler in new[]
                 {
                     typeof(RepairRequestHandler), typeof(ComplaintHandler), typeof(MediationOfferHandler),
                     typeof(HazardReportHandler), typeof(EmergencyAlarmHandler), typeof(EmergencyLocationHandler),
                     typeof(TicketRatingHandler), typeof(TicketAnswerHandler), typeof(TicketPhotosHandler),
                 })
            builder.Services.AddSingleton(typeof(IDialogHandler), handler);
        builder.Services.AddSingleton<IDialogValidator, UnitExistsValidator>();
        builder.Services.AddSingleton(sp => KernelPluginFactory.CreateFromType<TicketsPlugin>(TicketsPlugin.PluginName, sp));
        return builder;
    }
}
