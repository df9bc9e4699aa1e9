namespace Linli.MaintenanceFund;

/// <summary>
/// The maintenance fund (公维金): balances, applications, votes and spending, open to every owner.
/// </summary>
public static class MaintenanceFundModule
{
    public static IHostApplicationBuilder AddMaintenanceFund(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FundService>();
        builder.Services.AddSingleton<FundApplications>();
        builder.Services.AddSingleton<FundMoney>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMaintenanceFund(this IEndpointRouteBuilder routes) => FundApi.Map(routes);
}
