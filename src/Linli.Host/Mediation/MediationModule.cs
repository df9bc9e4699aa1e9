namespace Linli.Mediation;

/// <summary>
/// Neighbour disputes mediated before court: applications, cases, the chat's intake and the settled
/// rate.
/// </summary>
public static class MediationModule
{
    public static IHostApplicationBuilder AddMediation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MediationService>();
        builder.Services.AddSingleton<MediationIntake>();
        builder.Services.AddSingleton<MediationCasework>();
        builder.Services.AddSingleton<Bot.Dialogs.IDialogHandler, MediationChatHandler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMediation(this IEndpointRouteBuilder routes) => MediationApi.Map(routes);
}
