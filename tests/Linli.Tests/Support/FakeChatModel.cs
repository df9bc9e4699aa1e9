using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Linli.Tests.Support;

/// <summary>
/// An OpenAI-compatible <c>/v1/chat/completions</c> on a real Kestrel port that answers every request by calling
/// the first tool it was offered with scripted arguments (or after a delay, to test time-outs).
/// </summary>
public sealed class FakeChatModel : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<JsonElement> Requests { get; } = new();
    public string Endpoint { get; private set; } = "";
    public Dictionary<string, string> Arguments { get; set; } = new() { ["intent"] = "none" };
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;
    /// <summary>The text answered to a request that offers no tools (a plain completion such as a draft).</summary>
    public string Reply { get; set; } = "";

    private FakeChatModel()
    {
        _app = LoopbackServer.Create();
        _app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var request = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            Requests.Enqueue(request);
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, http.RequestAborted);
            if (!request.TryGetProperty("tools", out var tools) || tools.GetArrayLength() == 0)
                return Results.Json(new
                {
                    id = "chatcmpl-2", @object = "chat.completion", created = 1_700_000_000,
                    model = request.GetProperty("model").GetString(),
                    choices = new[]
                    {
                        new
                        {
                            index = 0, finish_reason = "stop", message = new { role = "assistant", content = Reply },
                        },
                    },
                    usage = new { prompt_tokens = 100, completion_tokens = 10, total_tokens = 110 },
                });
            var tool = tools[0].GetProperty("function").GetProperty("name").GetString();
            return Results.Json(new
            {
                id = "chatcmpl-1", @object = "chat.completion", created = 1_700_000_000,
                model = request.GetProperty("model").GetString(),
                choices = new[]
                {
                    new
                    {
                        index = 0, finish_reason = "tool_calls",
                        message = new
                        {
                            role = "assistant", content = (string?)null,
                            tool_calls = new[]
                            {
                                new
                                {
                                    id = "call_1", type = "function",
                                    function = new { name = tool, arguments = JsonSerializer.Serialize(Arguments) },
                                },
                            },
                        },
                    },
                },
                usage = new { prompt_tokens = 100, completion_tokens = 10, total_tokens = 110 },
            });
        });
    }

    public static async Task<FakeChatModel> StartAsync()
    {
        var model = new FakeChatModel();
        model.Endpoint = await LoopbackServer.StartAsync(model._app) + "/v1";
        return model;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
