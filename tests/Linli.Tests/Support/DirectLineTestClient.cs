using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Linli.Tests.Support;

/// <summary>Direct Line 3.0 calls as a client makes them, over any HttpClient.</summary>
public sealed class DirectLineTestClient(HttpClient http)
{
    public sealed record Started(string ConversationId, string Token, string? StreamUrl);

    public HttpClient Http => http;

    public async Task<Started> StartAsync(string? bearer = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return new Started(body.GetProperty("conversationId").GetString()!, body.GetProperty("token").GetString()!,
            body.TryGetProperty("streamUrl", out var s) ? s.GetString() : null);
    }

    /// <summary>A token for a new conversation of a new user, as the chat page gets it.</summary>
    public async Task<Started> StartAsUserAsync(string locale = "zh-CN", CancellationToken ct = default)
    {
        var token = await http.PostAsJsonAsync("/api/chat/token", new { locale }, ct);
        var body = await token.Content.ReadFromJsonAsync<JsonElement>(ct);
        return await StartAsync(body.GetProperty("token").GetString(), ct);
    }

    public async Task<HttpResponseMessage> PostAsync(
        Started c, object activity, string? token = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Post, $"/v3/directline/conversations/{c.ConversationId}/activities")
        {
            Content = JsonContent.Create(activity),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? c.Token);
        return await http.SendAsync(request, ct);
    }

    public async Task<(List<JsonElement> Activities, string Watermark)> GetAsync(
        Started c, string? watermark = null, string? token = null, CancellationToken ct = default)
    {
        using var response = await SendGetAsync(c, watermark, token, ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return (body.GetProperty("activities").EnumerateArray().ToList(), body.GetProperty("watermark").GetString()!);
    }

    /// <summary>
    /// The activities after <paramref name="watermark"/> once there are at least <paramref name="count"/>: what Linli
    /// sends outside a turn (a ticket's news) arrives a moment after the change that caused it.
    /// </summary>
    public async Task<List<JsonElement>> WaitForAsync(Started c, string? watermark, int count = 1,
        CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var (activities, _) = await GetAsync(c, watermark, ct: ct);
            if (activities.Count >= count || DateTime.UtcNow > deadline) return activities;
            await Task.Delay(50, ct);
        }
    }

    public async Task<HttpResponseMessage> SendGetAsync(
        Started c, string? watermark, string? token, CancellationToken ct = default)
    {
        var activities = $"/v3/directline/conversations/{c.ConversationId}/activities?watermark={watermark}";
        using var request = new HttpRequestMessage(HttpMethod.Get, activities);
        if (token != "") request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? c.Token);
        return await http.SendAsync(request, ct);
    }

    public static object Message(string text, string from = "u-1", string? clientActivityId = null) => new
    {
        type = "message",
        text,
        from = new { id = from, role = "user" },
        locale = "zh-CN",
        channelData = new { clientActivityID = clientActivityId ?? Guid.NewGuid().ToString("n") },
    };
}
