namespace Linli.PublicRevenue;

/// <summary>
/// Public revenue (parking, ads, EV chargers): the monthly ledger, closing, and the owners' audit
/// (业账社审).
/// </summary>
public static class PublicRevenueModule
{
    public static IHostApplicationBuilder AddPublicRevenue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RevenueOptions>()
            .Bind(builder.Configuration.GetSection(RevenueOptions.SectionName));
        builder.Services.AddSingleton<RevenueLedger>();
        builder.Services.AddSingleton<RevenueEntries>();
        builder.Services.AddSingleton<RevenueClosing>();
        builder.Services.AddSingleton<RevenueAudit>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPublicRevenue(this IEndpointRouteBuilder routes) => RevenueApi.Map(routes);
}
