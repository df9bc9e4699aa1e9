using Linli.Bot.Dialogs;
using Linli.Hosting;
using Microsoft.SemanticKernel;

namespace Linli.Tickets;

/// <summary>
/// Tickets: opening and the resident's side (<see cref="TicketService"/>), what staff do
/// (<see cref="TicketWorkflow"/>), service levels and the emergency roster's timers, the duty rosters, how staff are
/// paged and told of assignments (the log by default; WeCom wraps these), and the chat's ticket dialogs. The store is
/// registered with the others.
/// </summary>
public static class TicketsModule
{
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<TicketOptions>(TicketOptions.SectionName);
        builder.Services.AddSingleton<TicketPeople>();
        builder.Services.AddSingleton<TeaTable.ITicketNumbers, TicketNumbers>();
        builder.Services.AddSingleton<TicketWriter>();
        builder.Services.AddSingleton<DutyRosters>();
        builder.Services.AddSingleton<TicketService>();
        builder.Services.AddSingleton<TicketWorkflow>();
        builder.Services.AddSingleton<ServiceLevels>();
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
        builder.Services.AddSingleton(sp =>
            KernelPluginFactory.CreateFromType<TicketsPlugin>(TicketsPlugin.PluginName, sp));
        return builder;
    }

    public static IEndpointRouteBuilder MapTickets(this IEndpointRouteBuilder routes) => TicketsApi.Map(routes);
}
