using System.Text.Json;
using Linli.Bot.Schema;

namespace Linli.Channels;

/// <summary>Reads one activity from a request body, refusing what is too large or not an activity.</summary>
public static class ActivityReader
{
    public const int DefaultMaxBytes = 256 * 1024;

    public sealed record Result(Activity? Activity, IResult? Problem);

    public static async Task<Result> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return TooLarge(maxBytes);

        // Count the bytes ourselves: chunked bodies carry no Content-Length.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) return TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ActivityJson.Options);
        }
        catch (JsonException ex)
        {
            return Bad("The body is not a JSON activity.", ex.Message);
        }
        if (activity is null) return Bad("The body is not a JSON activity.", "Expected a JSON object.");
        if (string.IsNullOrWhiteSpace(activity.Type)) return Bad("The activity has no type.", "Every activity needs a \"type\", e.g. \"message\".");
        foreach (var (name, value) in new[]
                 {
                     ("id", activity.Id), ("channelId", activity.ChannelId), ("from.id", activity.From?.Id), ("recipient.id", activity.Recipient?.Id),
                     ("conversation.id", activity.Conversation?.Id), ("replyToId", activity.ReplyToId),
                 })
            if (value is not null && System.Text.Encoding.UTF8.GetByteCount(value) > MaxIdBytes)
                return Bad($"The activity's {name} is too long.", $"Ids are at most {MaxIdBytes} bytes.");
        return new Result(activity, null);
    }

    /// <summary>Ids become keys (channel, conversation and activity together); real channels' ids are far shorter.</summary>
    public const int MaxIdBytes = 300;

    public static Result Bad(string title, string detail) =>
        new(null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail));

    private static Result TooLarge(int maxBytes) =>
        Bad("The activity is too large.", $"An activity may be at most {maxBytes / 1024} KiB.");
}
