using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Uploads;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeChat;

/// <summary>
/// The WeChat service account as a channel: a user's message becomes an Activity and a bot turn; what the bot says
/// goes back in the HTTP response when the turn ends in time (WeChat waits five seconds), or through the
/// customer-service API when it does not. The user is <c>wechat|{openid}</c>, their conversation the openid.
/// </summary>
public sealed class WeChatChannel(
    TurnRunner runner,
    WeChatOutbox outbox,
    WeChatClient client,
    UploadStore uploads,
    IProcessedActivities processed,
    IWeChatChoicesStore choices,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    ILogger<WeChatChannel> logger)
{
    public const string Id = "wechat";

    /// <summary>Runs the turn for one message; returns the passive reply, or null to answer <c>success</c>.</summary>
    /// <param name="attachmentBase">Linli's own origin, for the URLs of photos the user sent.</param>
    public async Task<string?> ReceiveAsync(
        WeChatMessage message, string attachmentBase, CancellationToken cancellationToken)
    {
        // The five seconds run from the request's arrival: fetching a photo counts too.
        var deadline = Task.Delay(TimeSpan.FromSeconds(options.Value.PassiveReplySeconds), time, cancellationToken);
        // WeChat retries a message three times when it hears nothing in five seconds: each is heard once.
        if (!await FirstTimeAsync(message)) return null;
        if (CannotRead(message) is { } sorry) return sorry;

        var sender = new DeadlineSender(outbox, message.FromUserName);
        // On its own: the turn outlives the request when it is late, and may not hold the request's thread.
        var turn = Task.Run(async () =>
        {
            try
            {
                if (await ToActivityAsync(message, attachmentBase, CancellationToken.None) is { } activity)
                    await runner.RunAsync(activity, sender, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A WeChat message from {OpenId} could not be handled", Mask(message.FromUserName));
            }
        }, CancellationToken.None);
        if (await Task.WhenAny(turn, deadline) != turn)
        {
            // Too slow for the response: what was said so far, and all that follows, goes through the API.
            sender.GoLate();
            logger.LogInformation("WeChat turn for {OpenId} passed {Seconds} s; replying through the API",
                Mask(message.FromUserName), options.Value.PassiveReplySeconds);
            return null;
        }
        await turn;
        var said = sender.TakeAll();
        var (text, choices) = WeChatText.Render(said);
        if (text.Length == 0) return null;
        // Too long for one reply, or news still queued for this user: the response must not overtake it.
        var tooLong = System.Text.Encoding.UTF8.GetByteCount(text) > WeChatText.MaxBytes;
        if (tooLong || outbox.HasQueued(message.FromUserName))
        {
            outbox.Enqueue(message.FromUserName, said);
            return null;
        }
        outbox.Remember(message.FromUserName, choices);
        return text;
    }

    /// <summary>What Linli cannot read yet, answered plainly rather than with "I didn't understand ''".</summary>
    private static string? CannotRead(WeChatMessage message) => message.MsgType switch
    {
        "voice" when string.IsNullOrWhiteSpace(message.Recognition) => "语音暂时听不清，请打字告诉我。",
        "video" or "shortvideo" or "file" => "暂时看不了视频和文件，请发文字或照片。",
        _ => null,
    };

    /// <summary>
    /// Whether this signed request (timestamp, nonce, signature) is new: a request copied from a log and sent again
    /// is answered "success" and does nothing.
    /// </summary>
    public Task<bool> FirstRequestAsync(string timestamp, string nonce, string signature) =>
        processed.FirstTimeAsync($"{Id}-request|{timestamp}|{nonce}|{signature}", time.GetUtcNow());

    private async Task<bool> FirstTimeAsync(WeChatMessage message)
    {
        if (await processed.FirstTimeAsync($"{Id}|{message.FromUserName}|{message.DedupKey}", time.GetUtcNow())) return true;
        logger.LogDebug("WeChat message from {OpenId} already handled", Mask(message.FromUserName));
        return false;
    }

    private async Task<Activity?> ToActivityAsync(WeChatMessage message, string attachmentBase, CancellationToken ct)
    {
        var user = message.FromUserName;
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = $"wx-{message.DedupKey}",
            Timestamp = message.CreateTime,
            ChannelId = Id,
            ServiceUrl = options.Value.ApiBase,
            Conversation = new ConversationAccount(user),
            From = new ChannelAccount(user, role: "user"),
            Recipient = new ChannelAccount(message.ToUserName, role: "bot"),
            Locale = "zh-CN",
        };
        switch (message.MsgType)
        {
            case "text":
                activity.Text = WeChatText.Chosen(message.Content ?? "", outbox.ChoicesFor(user)) ?? message.Content;
                return activity;
            case "voice":
                // WeChat's own speech recognition (the account turns it on); without it, CannotRead has answered.
                activity.Text = WeChatText.Chosen(message.Recognition!, outbox.ChoicesFor(user)) ?? message.Recognition;
                return activity;
            case "image":
                activity.Attachments = [await PhotoAsync(message, attachmentBase, ct)];
                return activity;
            case "location":
                activity.Text = message.Label ?? "";
                activity.Entities =
                [
                    new Entity
                    {
                        Type = "GeoCoordinates",
                        Properties = new()
                        {
                            ["latitude"] = System.Text.Json.JsonSerializer.SerializeToElement(message.LocationX),
                            ["longitude"] = System.Text.Json.JsonSerializer.SerializeToElement(message.LocationY),
                            ["name"] = System.Text.Json.JsonSerializer.SerializeToElement(message.Label),
                        },
                    },
                ];
                return activity;
            case "link":
                activity.Text = $"{message.Title} {message.Url}".Trim();
                return activity;
            case "event":
                return Event(message, activity);
            default:
                activity.Text = "";
                return activity;
        }
    }

    private Activity? Event(WeChatMessage message, Activity activity)
    {
        switch (message.Event?.ToLowerInvariant())
        {
            case "subscribe":
                // A new follower: the bot greets them as any channel's new member.
                activity.Type = ActivityTypes.ConversationUpdate;
                activity.MembersAdded = [activity.From!];
                return activity;
            case "click":
                activity.Text = message.EventKey ?? "";
                return activity;
            case "unsubscribe":
                logger.LogInformation("{OpenId} unfollowed the account", Mask(message.FromUserName));
                choices.Forget(message.FromUserName);
                return null;
            default:
                // VIEW (a menu link opened), LOCATION reports, template delivery receipts: nothing to say.
                return null;
        }
    }

    /// <summary>
    /// A photo the user sent, fetched from WeChat and kept as the Direct Line channel keeps its uploads.
    /// </summary>
    private async Task<Attachment> PhotoAsync(WeChatMessage message, string attachmentBase, CancellationToken ct)
    {
        if (message.MediaId is { Length: > 0 } mediaId)
        {
            var (bytes, result) = await client.GetMediaAsync(mediaId, ct);
            if (bytes is not null)
            {
                using var content = new MemoryStream(bytes);
                var stored = await uploads.SaveImageAsync(content, UploadStore.ChatFolder, "", message.FromUserName,
                    message.FromUserName, ct);
                if (stored is not null)
                    return new Attachment
                    {
                        ContentType = stored.ContentType,
                        ContentUrl = $"{attachmentBase}{DirectLine.DirectLineApi.Prefix}/attachments/{stored.Id}",
                        Name = stored.Id + ImageSniffer.Extension(stored.ContentType),
                    };
            }
            logger.LogWarning("Could not fetch WeChat medium for {OpenId}: {Result}",
                Mask(message.FromUserName), result);
        }
        return new Attachment { ContentType = "image/jpeg", ContentUrl = message.PicUrl, Name = "photo.jpg" };
    }

    internal static string Mask(string openId) => openId.Length <= 8 ? "****" : openId[..4] + "****" + openId[^4..];

    /// <summary>
    /// Holds what the bot says until the turn ends (for the HTTP response), or, once the deadline has passed,
    /// queues it for the API: what was held first, then each message as it comes.
    /// </summary>
    private sealed class DeadlineSender(WeChatOutbox outbox, string openId) : IActivitySender
    {
        private readonly Lock _lock = new();
        private List<Activity>? _held = [];

        public Task<string?> SendAsync(Activity activity, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (_held is not null)
                {
                    _held.Add(activity);
                    return Task.FromResult<string?>(null);
                }
                outbox.Enqueue(openId, [activity]);
            }
            return Task.FromResult<string?>(null);
        }

        public void GoLate()
        {
            lock (_lock)
            {
                if (_held is { Count: > 0 } held) outbox.Enqueue(openId, held);
                _held = null;
            }
        }

        public List<Activity> TakeAll()
        {
            lock (_lock)
            {
                var held = _held ?? [];
                _held = null;
                return held;
            }
        }
    }
}
