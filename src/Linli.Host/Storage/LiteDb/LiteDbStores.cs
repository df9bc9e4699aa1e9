using Linli.Notices;

namespace Linli.Storage.LiteDb;

/// <summary>The LiteDB implementation of every store: one file, one process (the default).</summary>
public static class LiteDbStores
{
    public static IServiceCollection AddLiteDbStores(this IServiceCollection services)
    {
        services.AddSingleton<INoticeStore, LiteNoticeStore>();
        services.AddSingleton<PublicRevenue.IRevenueStore, LiteRevenueStore>();
        services.AddSingleton<MaintenanceFund.IFundStore, LiteFundStore>();
        services.AddSingleton<Projects.IProjectStore, LiteProjectStore>();
        services.AddSingleton<Mediation.IMediationStore, LiteMediationStore>();
        return services;
    }
}
