using Linli.Bot.Dialogs;
using Linli.Hosting;
using Linli.Residents.Sms;

namespace Linli.Residents;

/// <summary>Residents: who lives where, binding a chat to a flat with a one-time code (and its limits), SMS.</summary>
public static class ResidentsModule
{
    public static IHostApplicationBuilder AddResidents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ResidentDirectory>();
        builder.AddSms();
        builder.AddCheckedOptions<CodeLimits>(CodeLimits.SectionName);
        foreach (var handler in new[] { typeof(SendCodeHandler), typeof(VerifyCodeHandler), typeof(OwnUnitHandler) })
            builder.Services.AddSingleton(typeof(IDialogHandler), handler);
        return builder;
    }
}
