using Linli.Hosting;
using Linli.Channels.WeChat;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeCom;

/// <summary>
/// What goes to staff over WeCom: queued in the <see cref="TextOutbox"/> and sent by <see cref="WeComDelivery"/>, so
/// that a page costs the ticket's lock one insert, never a call to WeCom.
/// </summary>
public sealed class WeComOutbox(TextOutbox texts)
{
    public const string Channel = "wecom";

    public void Enqueue(string userId, string text) => texts.Enqueue(Channel, userId, text);
}

/// <summary>
/// Sends WeCom texts, each member's in order. WeCom's "system busy", an unreachable WeCom or its call frequency limit
/// back off and retry; a refusal (an unknown member, an untrusted IP, a wrong secret) is logged and dropped, as a page
/// that arrives hours late is worse than one that does not: the log and the staff console have it too.
/// </summary>
public sealed class WeComDelivery(
    ITextOutboxStore store,
    TextOutbox outbox,
    WeComClient client,
    IOptions<WeComOptions> options,
    TimeProvider time,
    ILogger<WeComDelivery> logger,
    IClusterLeases leases) : TextDelivery(WeComOutbox.Channel, store, outbox, time, logger, leases)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override Task<WeChatResult> SendAsync(OutboxText text, CancellationToken cancellationToken) =>
        client.SendTextAsync(text.To, text.Text, cancellationToken);

    protected override void Refused(OutboxText item, WeChatResult result)
    {
        var hint = result.ErrCode switch
        {
            WeComClient.InvalidUser => "; is the userid right, and the member within the app's visible range (可见范围)?",
            60020 => "; add this server's address to the app's trusted IPs (企业可信IP)",
            40001 or 40013 => "; check WeCom:CorpId and WeCom:Secret",
            _ => "",
        };
        Logger.LogWarning("WeCom message to {UserId} not delivered: {Result}{Hint}",
            WeChatChannel.Mask(item.To), result, hint);
    }
}
