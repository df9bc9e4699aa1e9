using Linli.Bot.Turns;
using Linli.Hosting;
using Linli.Channels.DirectLine;
using Linli.Accounts;
using Linli.Communities;
using Linli.Notices;
using Linli.People;
using Linli.Residents;
using Linli.Uploads;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Linli.Storage.LiteDb;

/// <summary>The LiteDB implementation of every store: one file, one process (the default).</summary>
public static class LiteDbStores
{
    /// <summary>The file (<c>Storage:DatabasePath</c>), opened and locked before the host starts, and its stores.</summary>
    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var env = sp.GetRequiredService<IHostEnvironment>();
            var path = options.DatabasePath == ":memory:"
                ? options.DatabasePath
                : Path.GetFullPath(options.DatabasePath, env.ContentRootPath);
            return LinliDatabase.Open(path, sp.GetRequiredService<ILoggerFactory>().CreateLogger<LinliDatabase>());
        });

        services.AddSingleton(new OpenBeforeStart(sp => sp.GetRequiredService<LinliDatabase>()));
        services.AddLiteDbStores();

        // Opens the database (and takes its lock) before the server accepts requests; the demo seed runs after.
        services.AddHostedService<StorageStartup>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        services.AddSingleton<LiteBackups>();
        services.AddHostedService(sp => sp.GetRequiredService<LiteBackups>());
        return services;
    }

    public static IServiceCollection AddLiteDbStores(this IServiceCollection services)
    {
        services.AddSingleton<ISigningKeys, LiteSigningKeys>();
        services.AddSingleton<INoticeStore, LiteNoticeStore>();
        services.AddSingleton<IConversationStateStore, LiteConversationStateStore>();
        services.AddSingleton<IConversationReferenceStore, LiteConversationReferenceStore>();
        services.AddSingleton<IDirectLineStore, LiteDirectLineStore>();
        services.AddSingleton<Channels.IProcessedActivities, LiteProcessedActivities>();
        services.AddSingleton<Channels.ITextOutboxStore, LiteTextOutboxStore>();
        services.AddSingleton<Channels.IConnectorOutboxStore, LiteConnectorOutboxStore>();
        services.AddSingleton<Channels.WeChat.IWeChatChoicesStore, LiteWeChatChoicesStore>();
        services.AddSingleton<Fees.IFeeStore, LiteFeeStore>();
        services.AddSingleton<Fees.IPaymentStore, LitePaymentStore>();
        services.AddLiteTeaTableStores();
        services.AddSingleton<ICommunityStore, LiteCommunityStore>();
        services.AddSingleton<IPeopleStore, LitePeopleStore>();
        services.AddSingleton<IAccountStore, LiteAccountStore>();
        services.AddSingleton<IAuditLog, LiteAuditLog>();
        services.AddSingleton<IResidentLinkStore, LiteResidentLinkStore>();
        services.AddSingleton<IResidentBindingStore, LiteResidentBindingStore>();
        services.AddSingleton<IBindingCodeStore, LiteBindingCodeStore>();
        services.AddSingleton<IFileStore, LiteFileStore>();
        services.AddSingleton<Linli.Tickets.ITicketStore, LiteTicketStore>();
        services.AddSingleton<Linli.StaffConsole.IHandoffStore, LiteHandoffStore>();
        services.AddSingleton<Linli.StaffConsole.ITranscriptStore, LiteTranscriptStore>();
        services.AddSingleton<Linli.StaffConsole.ICannedReplyStore, LiteCannedReplyStore>();
        services.AddSingleton<PublicRevenue.IRevenueStore, LiteRevenueStore>();
        services.AddSingleton<MaintenanceFund.IFundStore, LiteFundStore>();
        services.AddSingleton<Projects.IProjectStore, LiteProjectStore>();
        services.AddSingleton<Mediation.IMediationStore, LiteMediationStore>();
        // What each feature keeps of a resident's chats and writing, for their copy and its erasure.
        services.AddSingleton<Privacy.IPersonalData, LiteTicketPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, LiteTranscriptPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, LiteTeaPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, LiteConversationPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, LiteDirectLinePersonalData>();
        return services;
    }
}

internal sealed class StorageStartup(IServiceProvider services, ILogger<StorageStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<LinliDatabase>();
        logger.LogInformation("Database {Path} open", db.Location);
        LiteFeeTotals.EnsureBuilt(db);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class StorageHealthCheck(LinliDatabase db) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var communities = db.Communities.Count();
            return Task.FromResult(HealthCheckResult.Healthy($"{communities} communities"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("storage unreachable", ex));
        }
    }
}
