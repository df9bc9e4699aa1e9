namespace Linli.Hosting;

public static class OptionsExtensions
{
    /// <summary>Binds <typeparamref name="T"/> to its configuration section and checks it when the app starts, not on first use.</summary>
    public static IHostApplicationBuilder AddCheckedOptions<T>(this IHostApplicationBuilder builder, string sectionName) where T : class
    {
        builder.Services.AddOptions<T>()
            .Bind(builder.Configuration.GetSection(sectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
