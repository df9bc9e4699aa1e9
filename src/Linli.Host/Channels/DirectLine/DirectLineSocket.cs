using System.Net.WebSockets;

namespace Linli.Channels.DirectLine;

/// <summary>
/// The WebSocket <c>streamUrl</c>: replays the backlog after the watermark, then sends each new activity
/// as an ActivitySet. What the client sends (empty keep-alive frames) is read and ignored.
/// </summary>
public static class DirectLineSocket
{
    public static async Task<IResult> Stream(string conversationId, string? watermark, HttpContext http, DirectLineTokens tokens,
        IDirectLineStore store, DirectLineStreams streams, IHostApplicationLifetime lifetime)
    {
        var (_, problem) = await DirectLineApi.Authorize(http, tokens, conversationId);
        if (problem is not null) return problem;
        if (store.Find(conversationId) is null) return DirectLineAuth.NotFound(conversationId);
        if (!http.WebSockets.IsWebSocketRequest)
            return ActivityReader.Bad("Expected a WebSocket.", "Open this URL as a WebSocket.").Problem!;

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        // Subscribe before reading the backlog, so nothing falls between the two; the watermark drops repeats.
        using var subscription = streams.Subscribe(conversationId);
        var sent = DirectLineApi.ParseWatermark(watermark);
        var receiving = ReceiveUntilClosedAsync(socket, closed);

        try
        {
            var backlog = store.After(conversationId, sent);
            if (backlog.Count > 0) sent = await SendAsync(socket, backlog, closed.Token);

            while (await subscription.Reader.WaitToReadAsync(closed.Token))
            {
                var batch = new List<DirectLineActivityRecord>();
                while (subscription.Reader.TryRead(out var record))
                    if (record.Seq > sent) batch.Add(record);
                // Records told by another instance may come out of order, or one may be lost on the way: a gap is
                // filled from the backlog, which has every record up to the newest told.
                if ((batch.Count > 0 && batch.Min(r => r.Seq) > sent + 1) || Gapped(batch))
                    batch = [.. store.After(conversationId, sent)];
                if (batch.Count > 0) sent = await SendAsync(socket, batch, closed.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try { await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); }
            catch (WebSocketException) { }
        }
        await receiving;
        return Results.Empty;
    }

    private static bool Gapped(List<DirectLineActivityRecord> batch) =>
        batch.Count > 1
        && batch.Max(r => r.Seq) - batch.Min(r => r.Seq) + 1 != batch.Select(r => r.Seq).Distinct().Count();

    private static async Task<int> SendAsync(WebSocket socket, IReadOnlyList<DirectLineActivityRecord> records, CancellationToken cancellationToken)
    {
        var watermark = records.Max(r => r.Seq);
        await socket.SendAsync(ActivitySet.Utf8(records.OrderBy(r => r.Seq), watermark), WebSocketMessageType.Text, true, cancellationToken);
        return watermark;
    }

    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[4096];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
        finally
        {
            await closed.CancelAsync();
        }
    }
}
