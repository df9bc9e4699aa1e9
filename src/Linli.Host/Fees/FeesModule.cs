using Linli.Fees.Payments;
using Linli.Hosting;
using Microsoft.SemanticKernel;

namespace Linli.Fees;

/// <summary>Bills, payments, arrears and collection rates: the office's ledger and the chat's fee answers.</summary>
public static class FeesModule
{
    public static IHostApplicationBuilder AddFees(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<FeesOptions>(FeesOptions.SectionName);
        builder.Services.AddSingleton<FeeReports>();
        builder.Services.AddSingleton<CollectionRateAnswer>();
        builder.Services.AddSingleton<PaymentLedger>();
        builder.Services.AddSingleton<ArrearsReminders>();
        builder.Services.AddSingleton<Bot.Dialogs.IDialogHandler, FeeQueryHandler>();
        builder.Services.AddSingleton(sp => KernelPluginFactory.CreateFromType<FeesPlugin>(FeesPlugin.PluginName, sp));
        return builder;
    }

    public static IEndpointRouteBuilder MapFees(this IEndpointRouteBuilder routes)
    {
        FeesApi.Map(routes);
        PaymentsApi.Map(routes);
        return routes;
    }
}
