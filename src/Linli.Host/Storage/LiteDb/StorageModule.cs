using Linli.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Linli.Storage.LiteDb;

/// <summary>
/// One LiteDB file for an estate: opened (and locked) before the host starts, every feature's store over it, and a
/// health check.
/// </summary>
public static class StorageModule
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<StorageOptions>(StorageOptions.SectionName);

        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var env = sp.GetRequiredService<IHostEnvironment>();
            var path = options.DatabasePath == ":memory:"
                ? options.DatabasePath
                : Path.GetFullPath(options.DatabasePath, env.ContentRootPath);
            return LinliDatabase.Open(path);
        });

        builder.Services.AddSingleton(new OpenBeforeStart(sp => sp.GetRequiredService<LinliDatabase>()));
        builder.Services.AddLiteDbStores();

        // Opens the database (and takes its lock) before the server accepts requests; the demo seed runs after.
        builder.Services.AddHostedService<StorageStartup>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return builder;
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
