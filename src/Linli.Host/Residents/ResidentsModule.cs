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
        AddSms(builder);
        builder.AddCheckedOptions<CodeLimits>(CodeLimits.SectionName);
        foreach (var handler in new[] { typeof(SendCodeHandler), typeof(VerifyCodeHandler), typeof(OwnUnitHandler) })
            builder.Services.AddSingleton(typeof(IDialogHandler), handler);
        return builder;
    }

    /// <summary>
    /// "Sms:Provider": "TencentCloud" (with Sms:TencentCloud:*), "Log" (the code in the log: never in production), or
    /// unset: the log in Development, nothing anywhere else.
    /// </summary>
    private static void AddSms(IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration["Sms:Provider"];
        switch (provider)
        {
            case "TencentCloud":
                builder.AddCheckedOptions<TencentCloudSmsOptions>(TencentCloudSmsOptions.SectionName);
                builder.Services.AddHttpClient<ISmsSender, TencentCloudSmsSender>(
                    http => http.Timeout = TimeSpan.FromSeconds(10));
                break;
            case "Log":
                builder.Services.AddSingleton<ISmsSender, LoggingSmsSender>();
                break;
            case null or "":
                if (builder.Environment.IsDevelopment()) builder.Services.AddSingleton<ISmsSender, LoggingSmsSender>();
                else builder.Services.AddSingleton<ISmsSender, NoSmsSender>();
                break;
            default:
                throw new InvalidOperationException(
                    $"Sms:Provider '{provider}' is not known: use TencentCloud or Log.");
        }
    }
}
