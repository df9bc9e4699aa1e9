using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;

namespace Linli.Bench;

/// <summary>
/// A resident's web chat as the bench drives it: a token and a conversation over Direct Line, the conversation's
/// WebSocket stream, and posts whose replies are awaited on the stream.
/// </summary>
public sealed class DirectLineClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _token, _userId, _conversationId;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<string, TaskCompletionSource> _replies = [];
    private Task _reading = Task.CompletedTask;

    private DirectLineClient(HttpClient http, string token, string userId, string conversationId) =>
        (_http, _token, _userId, _conversationId) = (http, token, userId, conversationId);

    /// <summary>A token from the chat page's endpoint, a new conversation, and its stream open.</summary>
    public static async Task<DirectLineClient> OpenAsync(HttpClient http)
    {
        using var tokenResponse = await http.PostAsJsonAsync("/api/chat/token", new { });
        var start = await Json(tokenResponse);
        var token = start.GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        var conversation = await Json(response);
        var client = new DirectLineClient(http, token, start.GetProperty("userId").GetString()!,
            conversation.GetProperty("conversationId").GetString()!);
        await client._socket.ConnectAsync(new Uri(conversation.GetProperty("streamUrl").GetString()!),
            CancellationToken.None);
        client._reading = client.ReadAsync();
        return client;
    }

    /// <summary>Posts <paramref name="text"/> and waits for the bot's reply to it on the stream.</summary>
    /// <returns>Milliseconds from the post to the reply.</returns>
    public async Task<double> RoundTripAsync(string text)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/v3/directline/conversations/{_conversationId}/activities")
        {
            Content = JsonContent.Create(new { type = "message", text, from = new { id = _userId } }),
        };
        request.Headers.Authorization = new("Bearer", _token);
        using var response = await _http.SendAsync(request);
        var id = (await Json(response)).GetProperty("id").GetString()!;
        TaskCompletionSource done;
        // The reply may have come on the stream before the post's answer: then it is waiting here already.
        lock (_replies)
            done = _replies.Remove(id, out var seen) ? seen : _replies[id] = new TaskCompletionSource();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lock (_replies) _replies.Remove(id);
        return clock.Elapsed.TotalMilliseconds;
    }

    private async Task ReadAsync()
    {
        var chunk = new byte[4096];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(chunk.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(chunk, 0, result.Count);
                if (!result.EndOfMessage) continue;
                if (message.Length > 0) Arrived(message.GetBuffer().AsMemory(0, (int)message.Length));
                message.SetLength(0);
            }
        }
        catch (WebSocketException) { }
    }

    private void Arrived(ReadOnlyMemory<byte> json)
    {
        using var set = JsonDocument.Parse(json);
        foreach (var activity in set.RootElement.GetProperty("activities").EnumerateArray())
        {
            if (!activity.TryGetProperty("replyToId", out var replyTo)) continue;
            var id = replyTo.GetString()!;
            lock (_replies)
            {
                if (_replies.TryGetValue(id, out var waiting)) waiting.TrySetResult();
                else _replies[id] = Completed();
            }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException(
                $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            await _reading.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException) { }
        _socket.Dispose();
    }
}
