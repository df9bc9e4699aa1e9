using Linli.Hosting;
namespace Linli.Seeding;

public static class SeedingExtensions
{
    public static IHostApplicationBuilder AddDemoSeed(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<DemoOptions>(DemoOptions.SectionName);
        var development = builder.Environment.IsDevelopment();
        builder.Services.PostConfigure<DemoOptions>(o => o.Seed ??= development);
        builder.Services.AddSingleton<DemoSeeder>();
        return builder;
    }
}
