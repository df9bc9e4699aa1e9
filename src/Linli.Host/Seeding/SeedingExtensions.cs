using Linli.Hosting;
namespace Linli.Seeding;

public static class SeedingExtensions
{
    public static IHostApplicationBuilder AddDemoSeed(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<DemoOptions>(DemoOptions.SectionName);
        builder.Services.AddSingleton<DemoSeeder>();
        return builder;
    }
}
