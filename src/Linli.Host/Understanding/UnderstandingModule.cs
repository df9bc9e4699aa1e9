using Linli.Bot.Understanding;
using Linli.Hosting;
using Microsoft.SemanticKernel;

namespace Linli.Understanding;

/// <summary>
/// What a resident means: the local classifier and emergency guard, the Semantic Kernel with an optional chat model,
/// and the Rasa-shaped parse endpoint.
/// </summary>
public static class UnderstandingModule
{
    public static IHostApplicationBuilder AddUnderstanding(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<NluOptions>(NluOptions.SectionName);
        builder.Services.AddSingleton(sp =>
            LocalRecognizer.TrainFrom(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NluOptions>>()));
        builder.Services.AddSingleton(_ => EmergencyGuard.FromAppFolder());
        builder.Services.AddSingleton<LocalRecognizer>();
        builder.AddCheckedOptions<ChatModelOptions>(ChatModelOptions.SectionName);
        builder.Services.AddSingleton<ChatPrompts>();

        // The kernel (features add their plugins in their own modules), and an OpenAI-compatible chat model only when
        // one is configured.
        var model = builder.Configuration.GetSection(ChatModelOptions.SectionName).Get<ChatModelOptions>()
            ?? new ChatModelOptions();
        var kernel = builder.Services.AddKernel();
        kernel.Plugins.AddFromType<RouterPlugin>(RouterPlugin.PluginName);
        if (model.IsConfigured)
        {
#pragma warning disable SKEXP0010 // a custom endpoint is how Ollama, vLLM, Qwen and DeepSeek are reached
            kernel.AddOpenAIChatCompletion(model.Model, new Uri(model.Endpoint!), model.ApiKey ?? "none");
#pragma warning restore SKEXP0010
            builder.Services.AddSingleton<IRecognizer, ModelRecognizer>();
        }
        else
            builder.Services.AddSingleton<IRecognizer>(sp => sp.GetRequiredService<LocalRecognizer>());
        return builder;
    }

    public static IEndpointRouteBuilder MapUnderstanding(this IEndpointRouteBuilder routes) => NluApi.Map(routes);
}
