namespace Linli.StaffConsole;

/// <summary>
/// The staff console: its live hub and feed (which also carries ticket changes to it), human handoff, and the
/// transcripts every channel's turns are kept in.
/// </summary>
public static class StaffConsoleModule
{
    public static IHostApplicationBuilder AddStaffConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HandoffService>();
        builder.Services.AddSingleton<TranscriptStore>();
        builder.Services.AddSingleton<Bot.Turns.ITranscriptLogger>(sp => sp.GetRequiredService<TranscriptStore>());
        builder.Services.AddSingleton<StaffConsoleFeed>();
        builder.Services.AddSingleton<Tickets.ITicketFeed>(sp => sp.GetRequiredService<StaffConsoleFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StaffConsoleFeed>());
        builder.Services.AddSingleton<TeaTable.IStaffMentions, StaffConsoleMentions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStaffConsole(this IEndpointRouteBuilder routes) => ConsoleApi.Map(routes);
}
