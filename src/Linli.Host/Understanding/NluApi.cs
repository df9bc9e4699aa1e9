using System.Text.Json.Serialization;
using Linli.Bot.Understanding;
using Linli.Hosting;
using Linli.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.SemanticKernel;

namespace Linli.Understanding;

public sealed record ParseRequest(string? Text, string? Locale);

public sealed record ParsedIntent(string Name, double Confidence);

public sealed record ParsedEntity(string Entity, string Value, int Start, int End);

/// <summary>The shape of Rasa's <c>/model/parse</c>, which evaluation tools already read.</summary>
public sealed record ParseResponse(
    string Text,
    ParsedIntent Intent,
    [property: JsonPropertyName("intent_ranking")] IReadOnlyList<ParsedIntent> IntentRanking,
    IReadOnlyList<ParsedEntity> Entities);

public static class NluApi
{
    public const int MaxTextLength = 1000;

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

    public static IEndpointRouteBuilder MapUnderstanding(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/nlu/parse", Parse).WithTags("Understanding")
            .WithSummary("Intent and entities of one utterance (Rasa /model/parse shape)")
            .RequireRateLimiting(Hosting.RateLimits.Parse);
        return routes;
    }

    private static async Task<Ok<ParseResponse>> Parse(ParseRequest request, IRecognizer recognizer,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text)) throw DomainProblem.Bad("nlu.text_needed", field: "text");
        if (request.Text.Length > MaxTextLength)
            throw DomainProblem.Bad("nlu.text_too_long", new { max = MaxTextLength }, "text");

        var result = await recognizer.RecognizeAsync(request.Text, request.Locale, cancellationToken);
        return TypedResults.Ok(new ParseResponse(
            result.Text,
            new ParsedIntent(result.Intent.Name, result.Intent.Confidence),
            result.Ranking.Select(r => new ParsedIntent(r.Name, r.Confidence)).ToList(),
            // Phone numbers leave the server masked, here too.
            result.Entities.Select(Shown).ToList()));
    }

    private static ParsedEntity Shown(EntityValue e) =>
        new(e.Entity, e.Entity == Entities.Phone ? PhoneMask.Mask(e.Value) : e.Value, e.Start, e.End);
}
