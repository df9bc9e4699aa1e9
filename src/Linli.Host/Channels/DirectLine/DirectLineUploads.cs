using System.Security.Cryptography;
using System.Text.Json;
using Linli.Bot.Schema;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.Channels.DirectLine;

/// <summary>
/// Files residents send (photos of a leak, a cracked tile): stored in the LiteDB file storage and served
/// back under an unguessable URL, as Direct Line does with its attachment URLs.
/// </summary>
public static class DirectLineUploads
{
    private const string ActivityPartType = "application/vnd.microsoft.activity";

    public static async Task<IResult> Upload(string conversationId, string? userId, HttpContext http, DirectLineTokens tokens,
        DirectLineStore store, DirectLineChannel channel, LinliDatabase db, IOptions<DirectLineOptions> options, CancellationToken cancellationToken)
    {
        var (caller, problem) = await DirectLineApi.Authorize(http, tokens, conversationId);
        if (problem is not null) return problem;
        if (store.Find(conversationId) is null) return DirectLineAuth.NotFound(conversationId);
        if (!http.Request.HasFormContentType)
            return ActivityReader.Bad("Expected a multipart upload.", "Send the files as multipart/form-data.").Problem!;
        if (http.Request.ContentLength > options.Value.MaxUploadBytes) return TooLarge(options.Value.MaxUploadBytes);

        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(cancellationToken); }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return ActivityReader.Bad("The upload could not be read.", ex.Message).Problem!;
        }

        Activity? activity = null;
        var attachments = new List<Attachment>();
        long total = 0;
        foreach (var file in form.Files)
        {
            total += file.Length;
            if (total > options.Value.MaxUploadBytes) return TooLarge(options.Value.MaxUploadBytes);
            if (file.ContentType.StartsWith(ActivityPartType, StringComparison.OrdinalIgnoreCase) || file.Name == "activity")
            {
                try { activity = await JsonSerializer.DeserializeAsync<Activity>(file.OpenReadStream(), ActivityJson.Options, cancellationToken); }
                catch (JsonException ex) { return ActivityReader.Bad("The activity part is not a JSON activity.", ex.Message).Problem!; }
                continue;
            }
            var fileId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            await using (var content = file.OpenReadStream())
                db.FileStorage.Upload(fileId, file.FileName, content, new LiteDB.BsonDocument
                {
                    ["contentType"] = file.ContentType, ["conversationId"] = conversationId,
                });
            attachments.Add(new Attachment
            {
                ContentType = file.ContentType,
                ContentUrl = $"{http.Request.Scheme}://{http.Request.Host}{DirectLineApi.Prefix}/attachments/{fileId}",
                Name = file.FileName,
            });
        }
        if (attachments.Count == 0)
            return ActivityReader.Bad("No file in the upload.", "Attach at least one file.").Problem!;

        activity ??= new Activity { Type = ActivityTypes.Message };
        activity.Type ??= ActivityTypes.Message;
        activity.From ??= new ChannelAccount(userId ?? "");
        if (string.IsNullOrEmpty(activity.From.Id)) activity.From.Id = userId;
        activity.Attachments = [.. activity.Attachments ?? [], .. attachments];
        return await DirectLineApi.PostAsync(conversationId, activity, caller, http, channel, cancellationToken);
    }

    /// <summary>Serves an uploaded file. Images show inline; anything else downloads, sandboxed, so an upload can never run script on our origin.</summary>
    public static IResult Download(string fileId, HttpContext http, LinliDatabase db)
    {
        var file = db.FileStorage.FindById(fileId);
        if (file is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Attachment not found", detail: "No attachment has this id.");

        var contentType = file.Metadata.TryGetValue("contentType", out var ct) && ct.IsString ? ct.AsString : "application/octet-stream";
        var image = contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !contentType.Contains("svg", StringComparison.OrdinalIgnoreCase);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        var stream = new MemoryStream();
        file.CopyTo(stream);
        stream.Position = 0;
        return image
            ? Results.Stream(stream, contentType)
            : Results.File(stream, "application/octet-stream", file.Filename);
    }

    private static IResult TooLarge(int max) =>
        ActivityReader.Bad("The upload is too large.", $"Uploads may be at most {max / (1024 * 1024)} MiB.").Problem!;
}
