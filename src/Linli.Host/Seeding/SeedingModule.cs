using Linli.Hosting;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace Linli.Seeding;

/// <summary>
/// The demo community, seeded into an empty database when "Demo:Seed" is on (in Development by
/// default).
/// </summary>
public static class SeedingModule
{
    public static IHostApplicationBuilder AddDemoSeed(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<DemoOptions>(DemoOptions.SectionName);
        var development = builder.Environment.IsDevelopment();
        builder.Services.PostConfigure<DemoOptions>(o => o.Seed ??= development);
        // Seeds (or brings an older seed's roles up to date) before the server accepts requests.
        builder.Services.AddHostedService<DemoSeedStartup>();
        return builder;
    }
}

/// <summary>
/// Seeds the demo before the server accepts requests. Into a LiteDB file as it always has (or brings an older seed's
/// roles up to date); into PostgreSQL by seeding a database in memory and copying it up, only while PostgreSQL has no
/// community, once however many instances start together.
/// </summary>
internal sealed class DemoSeedStartup(IServiceProvider services, IOptions<DemoOptions> options, TimeProvider time,
    ILogger<DemoSeedStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<PostgresDatabase>() is { } postgres)
        {
            SeedPostgres(postgres);
            return Task.CompletedTask;
        }
        // Made here, not registered: on PostgreSQL there is no LiteDB file for it to write.
        var seeder = ActivatorUtilities.CreateInstance<DemoSeeder>(services);
        if (!seeder.SeedIfEmpty()) seeder.UpgradeRoles();
        return Task.CompletedTask;
    }

    private void SeedPostgres(PostgresDatabase postgres)
    {
        if (options.Value.Seed != true) return;
        var report = LiteToPostgres.CopyIfEmpty(postgres, () =>
        {
            var estate = LinliDatabase.Open(":memory:");
            try
            {
                DemoSeeder.Standalone(estate, options.Value, time).SeedIfEmpty();
                return estate;
            }
            catch
            {
                estate.Dispose();
                throw;
            }
        });
        if (report is not null)
            logger.LogInformation("Seeded the demo into PostgreSQL database {Database}: {Rows} rows in {Seconds:0.0} s",
                postgres.Name, report.Rows, report.Elapsed.TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
