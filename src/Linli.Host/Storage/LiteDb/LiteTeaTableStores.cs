using Linli.TeaTable;

namespace Linli.Storage.LiteDb;

/// <summary>The tea table's stores in LiteDB (and its question to the tickets).</summary>
public static class LiteTeaTableStores
{
    public static IServiceCollection AddLiteTeaTableStores(this IServiceCollection services)
    {
        // Threads and posts share one instance: the lock that keeps a thread's version and post count together.
        services.AddSingleton<LiteTeaThreadStore>();
        services.AddSingleton<ITeaThreadStore>(sp => sp.GetRequiredService<LiteTeaThreadStore>());
        services.AddSingleton<ITeaPostStore>(sp => sp.GetRequiredService<LiteTeaThreadStore>());
        services.AddSingleton<ITeaVoteStore, LiteTeaVoteStore>();
        services.AddSingleton<ITeaMuteStore, LiteTeaMuteStore>();
        services.AddSingleton<ITeaDigestStore, LiteTeaDigestStore>();
        return services;
    }
}
