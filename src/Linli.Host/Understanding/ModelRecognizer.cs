using System.Text.Json;
using Linli.Bot.Understanding;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace Linli.Understanding;

/// <summary>
/// Routing through Semantic Kernel: the route prompt (prompts/Router/route.yaml) with the Router plugin's
/// <c>route</c> tool required, temperature 0. A slow, failing or off-list answer falls back to the offline
/// recognizer, so a resident never waits longer than the configured timeout.
/// </summary>
public sealed class ModelRecognizer(
    Kernel kernel, LocalRecognizer local, IOptions<ChatModelOptions> options, ILogger<ModelRecognizer> logger)
    : IRecognizer
{
    private readonly KernelFunction _prompt =
        kernel.CreateFunctionFromPrompt(PromptFiles.Load(RouterPlugin.PluginName, "route"));

    public async Task<RecognizerResult> RecognizeAsync(string text, string? locale, CancellationToken cancellationToken)
    {
        // The emergency guard runs first and is never bypassed: a danger it hears pages at once, without waiting on a
        // model.
        var offline = local.Recognize(text);
        if (offline.Danger is not null || !options.Value.IsConfigured) return offline;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.TimeoutMilliseconds);
        try
        {
            var route = kernel.Plugins[RouterPlugin.PluginName]["route"];
            var settings = new OpenAIPromptExecutionSettings
            {
                Temperature = 0,
                MaxTokens = 200,
                FunctionChoiceBehavior = FunctionChoiceBehavior.Required([route], autoInvoke: false),
            };
            var result = await _prompt.InvokeAsync(kernel, new KernelArguments(settings)
            {
                ["text"] = text,
                ["intents"] = string.Join(", ", Intents.All),
            }, timeout.Token);
            var call = FunctionCallContent.GetFunctionCalls(result.GetValue<ChatMessageContent>()!).FirstOrDefault();
            var intent = Argument(call, "intent");
            if (intent is null || !Intents.All.Contains(intent))
            {
                logger.LogWarning("The model answered off the list ({Intent}); the offline classifier routes", intent);
                return offline;
            }
            // The model chooses the intent and names the details in the same call; where the rules found a detail too,
            // theirs stands (it has its place in the text). The dialogs fill their steps from both.
            var entities = offline.Entities.ToList();
            foreach (var slot in RouterPlugin.Slots)
                if (Argument(call, slot) is { Length: > 0 } value && entities.All(e => e.Entity != slot))
                {
                    var at = text.IndexOf(value, StringComparison.Ordinal);
                    entities.Add(new EntityValue(slot, value, Math.Max(0, at), at < 0 ? 0 : at + value.Length));
                }
            var top = new IntentScore(intent, 1);
            return new RecognizerResult(text, top, [top, .. offline.Ranking.Where(r => r.Name != intent)], entities);
        }
        catch (Exception ex) when (IsModelFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(
                "The chat model did not answer in time or failed ({Error}); the offline classifier routes",
                ex.GetType().Name);
            return offline;
        }
    }

    /// <summary>A time-out, an error of the model's service or an answer that is not JSON: the offline route.</summary>
    private static bool IsModelFailure(Exception ex) =>
        ex is OperationCanceledException or HttpOperationException or HttpRequestException or KernelException
            or JsonException;

    private static string? Argument(FunctionCallContent? call, string name) =>
        call?.Arguments is { } args && args.TryGetValue(name, out var value) && value is not null
            ? value is JsonElement { ValueKind: JsonValueKind.String } e ? e.GetString() : value.ToString()
            : null;
}
