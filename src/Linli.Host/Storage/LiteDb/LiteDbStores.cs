using Linli.Accounts;
using Linli.Communities;
using Linli.Notices;
using Linli.People;
using Linli.Residents;
using Linli.Uploads;

namespace Linli.Storage.LiteDb;

/// <summary>The LiteDB implementation of every store: one file, one process (the default).</summary>
public static class LiteDbStores
{
    public static IServiceCollection AddLiteDbStores(this IServiceCollection services)
    {
        services.AddSingleton<INoticeStore, LiteNoticeStore>();
        services.AddSingleton<ICommunityStore, LiteCommunityStore>();
        services.AddSingleton<IPeopleStore, LitePeopleStore>();
        services.AddSingleton<IAccountStore, LiteAccountStore>();
        services.AddSingleton<IAuditLog, LiteAuditLog>();
        services.AddSingleton<IResidentLinkStore, LiteResidentLinkStore>();
        services.AddSingleton<IResidentBindingStore, LiteResidentBindingStore>();
        services.AddSingleton<IBindingCodeStore, LiteBindingCodeStore>();
        services.AddSingleton<IFileStore, LiteFileStore>();
        return services;
    }
}
