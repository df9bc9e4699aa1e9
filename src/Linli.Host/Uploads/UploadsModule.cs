namespace Linli.Uploads;

/// <summary>
/// Files people hand Linli: chat photos on tickets and the proofs behind the open accounts, sniffed for what they
/// really are and served only to those who may see them.
/// </summary>
public static class UploadsModule
{
    public static IHostApplicationBuilder AddUploads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UploadStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder routes) => ProofsApi.Map(routes);
}
