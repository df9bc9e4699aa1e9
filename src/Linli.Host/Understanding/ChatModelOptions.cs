using System.ComponentModel.DataAnnotations;

namespace Linli.Understanding;

/// <summary>
/// An OpenAI-compatible chat model (Ollama, vLLM, Qwen, DeepSeek, Azure OpenAI…). Without an endpoint (the default),
/// Linli routes with its offline classifier and never waits on a model.
/// </summary>
public sealed class ChatModelOptions
{
    public const string SectionName = "ChatModel";

    /// <summary>Base URL of the OpenAI-compatible API, e.g. http://localhost:11434/v1 for Ollama.</summary>
    [Url]
    public string? Endpoint { get; set; }

    public string Model { get; set; } = "qwen2.5:7b";

    public string? ApiKey { get; set; }

    /// <summary>
    /// How long a resident's message may wait on the model before the offline classifier answers instead.
    /// </summary>
    [Range(50, 60_000)]
    public int TimeoutMilliseconds { get; set; } = 2000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);
}
