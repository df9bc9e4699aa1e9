using Linli.Hosting;

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
        builder.Services.AddSingleton<DemoSeeder>();
        // Seeds (or brings an older seed's roles up to date) before the server accepts requests.
        builder.Services.AddHostedService<DemoSeedStartup>();
        return builder;
    }
}

internal sealed class DemoSeedStartup(DemoSeeder seeder) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!seeder.SeedIfEmpty()) seeder.UpgradeRoles();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
