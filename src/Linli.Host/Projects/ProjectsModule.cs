namespace Linli.Projects;

/// <summary>
/// Community projects (repairs, upgrades, shared purchases): pledges, receipts, spending and
/// acceptance, open to every owner.
/// </summary>
public static class ProjectsModule
{
    public static IHostApplicationBuilder AddProjects(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProjectService>();
        builder.Services.AddSingleton<ProjectWrites>();
        builder.Services.AddSingleton<ProjectLifecycle>();
        builder.Services.AddSingleton<ProjectMoney>();
        return builder;
    }

    public static IEndpointRouteBuilder MapProjects(this IEndpointRouteBuilder routes) => ProjectsApi.Map(routes);
}
