using Linli.Hosting;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;

namespace Linli.Storage.Setup;

/// <summary>
/// Where Linli keeps its data: one LiteDB file for an estate (the default), or PostgreSQL shared by several instances
/// (<c>Storage:Provider</c> = <c>PostgreSQL</c>). Either opens before the host starts, with every feature's store
/// over it and a health check.
/// </summary>
public static class StorageModule
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<StorageOptions>(StorageOptions.SectionName);
        var provider = builder.Configuration.GetSection(StorageOptions.SectionName)
            .GetValue(nameof(StorageOptions.Provider), StorageProvider.LiteDB);
        if (provider == StorageProvider.PostgreSQL)
            builder.Services.AddPostgresStorage(builder.Configuration.GetConnectionString("Postgres"));
        else
            builder.Services.AddLiteDbStorage();
        return builder;
    }
}
