using System.Text.Json;
using Linli.Bot.Schema;
using Linli.Uploads;
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
        IDirectLineStore store, DirectLineChannel channel, UploadStore uploads, IOptions<DirectLineOptions> options,
        CancellationToken cancellationToken)
    {
        var (caller, problem) = await DirectLineApi.Authorize(http, tokens, conversationId);
        if (problem is not null) return problem;
        if (store.Find(conversationId) is not { } conversation) return DirectLineAuth.NotFound(conversationId);
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
        var photos = new List<IFormFile>();
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
            // Photos only, their type read from their bytes: a page named photo.png is refused, and nothing of the upload is kept.
            await using (var head = file.OpenReadStream())
                if (await ImageSniffer.SniffAsync(head, cancellationToken) is null)
                    return ActivityReader.Bad("Only photos can be sent.", $"'{file.FileName}' is not a JPEG, PNG, GIF or WebP image.").Problem!;
            photos.Add(file);
        }
        var attachments = new List<Attachment>();
        foreach (var file in photos)
        {
            StoredUpload? stored;
            await using (var content = file.OpenReadStream())
                stored = await uploads.SaveImageAsync(content, UploadStore.ChatFolder, "", conversation.UserId ?? "", conversationId, cancellationToken);
            if (stored is null) continue;
            attachments.Add(new Attachment
            {
                ContentType = stored.ContentType,
                ContentUrl = $"{http.Request.Scheme}://{http.Request.Host}{DirectLineApi.Prefix}/attachments/{stored.Id}",
                Name = stored.Id + ImageSniffer.Extension(stored.ContentType),
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

    /// <summary>Serves an uploaded photo under its unguessable id, as the image its bytes say it is and nothing else.</summary>
    public static IResult Download(string fileId, HttpContext http, UploadStore uploads) =>
        uploads.Find(UploadStore.ChatFolder, fileId) is { } file
            ? UploadStore.Serve(file, http)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Attachment not found", detail: "No attachment has this id.");

    private static IResult TooLarge(int max) =>
        ActivityReader.Bad("The upload is too large.", $"Uploads may be at most {max / (1024 * 1024)} MiB.").Problem!;
}
