using System.Buffers;
using System.IO.Pipelines;
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

        // Read from the request's own buffers until the body ends, counting the bytes (chunked bodies carry no
        // Content-Length): a body in one segment (most of them) is parsed where it lies, copied nowhere.
        var body = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await body.ReadAsync(cancellationToken);
            if (read.Buffer.Length > maxBytes)
            {
                body.AdvanceTo(read.Buffer.End);
                return TooLarge(maxBytes);
            }
            if (read.IsCompleted || read.IsCanceled) break;
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        Activity? activity;
        try
        {
            activity = Parse(read.Buffer);
        }
        catch (JsonException ex)
        {
            return Bad("The body is not a JSON activity.", ex.Message);
        }
        finally
        {
            body.AdvanceTo(read.Buffer.End);
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

    /// <summary>The one JSON value the body holds: anything after it but white space is refused, as before.</summary>
    private static Activity? Parse(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        var activity = JsonSerializer.Deserialize<Activity>(ref reader, ActivityJson.Options);
        if (reader.Read())
            throw new JsonException($"Unexpected content after the activity at byte {reader.TokenStartIndex}.");
        return activity;
    }

    /// <summary>Ids become keys (channel, conversation and activity together); real channels' ids are far shorter.</summary>
    public const int MaxIdBytes = 300;

    public static Result Bad(string title, string detail) =>
        new(null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail));

    private static Result TooLarge(int maxBytes) =>
        Bad("The activity is too large.", $"An activity may be at most {maxBytes / 1024} KiB.");
}
