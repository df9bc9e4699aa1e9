using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace Linli.Understanding;

/// <summary>
/// Plain text completions from prompts/{Plugin}/{function}.yaml (a staff draft, a thread summary): loaded once, given
/// at least <c>ChatModel:TimeoutMilliseconds</c>, phone numbers masked in the answer. No model configured, a failure
/// or a time-out all give null: the caller offers what it can without a model.
/// </summary>
public sealed class ChatPrompts(Kernel kernel, IOptions<ChatModelOptions> options, ILogger<ChatPrompts> logger)
{
    private readonly ConcurrentDictionary<string, KernelFunction> _functions = new();

    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<string?> CompleteAsync(
        string plugin, string function, KernelArguments arguments, TimeSpan atLeast,
        CancellationToken cancellationToken)
    {
        if (!IsConfigured) return null;
        var prompt = _functions.GetOrAdd($"{plugin}/{function}",
            _ => kernel.CreateFunctionFromPrompt(PromptFiles.Load(plugin, function)));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waitMilliseconds = Math.Max(options.Value.TimeoutMilliseconds, atLeast.TotalMilliseconds);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(waitMilliseconds));
        try
        {
            var result = await prompt.InvokeAsync(kernel, arguments, timeout.Token);
            if (result.GetValue<string>()?.Trim() is { Length: > 0 } text) return People.Redaction.Redact(text);
            logger.LogWarning("The chat model answered {Plugin}/{Function} with nothing", plugin, function);
        }
        catch (Exception ex) when (IsModelFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The chat model did not answer {Plugin}/{Function} ({Error})",
                plugin, function, ex.GetType().Name);
        }
        return null;
    }

    /// <summary>A time-out or an error of the model's service: the caller does without a model.</summary>
    private static bool IsModelFailure(Exception ex) =>
        ex is OperationCanceledException or HttpOperationException or HttpRequestException or KernelException;
}
