using Linli.Hosting;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Calendar;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeChat;

/// <summary>The numbered choices last offered to a user (id: the openid), so "1" means what it meant then.</summary>
public sealed record WeChatChoices(string Id, List<WeChatChoice> Choices, DateTimeOffset At);

/// <summary>The numbered choices last offered to each WeChat user.</summary>
public interface IWeChatChoicesStore
{
    void Save(WeChatChoices choices);

    WeChatChoices? Find(string openId);

    void Forget(string openId);
}

/// <summary>
/// What the bot says to WeChat users outside the HTTP response (a turn that took too long, a ticket's news, a staff
/// member's answer): rendered as WeChat text and queued in the <see cref="TextOutbox"/> for
/// <see cref="WeChatDelivery"/>.
/// </summary>
public sealed class WeChatOutbox(IWeChatChoicesStore choicesStore, ITextOutboxStore queued, TextOutbox texts,
    TimeProvider time)
{
    /// <summary>Queues the activities as one message (or more, when too long) and remembers their buttons.</summary>
    public void Enqueue(string openId, IReadOnlyList<Activity> activities)
    {
        var (text, choices) = WeChatText.Render(activities);
        Remember(openId, choices);
        if (text.Length > 0) texts.Enqueue(WeChatChannel.Id, openId, text);
    }

    /// <summary>The buttons of the latest message to <paramref name="openId"/>; none when it had none.</summary>
    public void Remember(string openId, IReadOnlyList<WeChatChoice> choices)
    {
        if (choices.Count > 0) choicesStore.Save(new WeChatChoices(openId, [.. choices], time.GetUtcNow()));
        else choicesStore.Forget(openId);
    }

    /// <summary>Whether texts for <paramref name="openId"/> are still waiting to go out.</summary>
    public bool HasQueued(string openId) =>
        queued.HasQueued(WeChatChannel.Id, openId);

    public IReadOnlyList<WeChatChoice> ChoicesFor(string openId) => choicesStore.Find(openId)?.Choices ?? [];
}

/// <summary>
/// Delivers WeChat texts, each user's in order: as customer-service messages while the user has written in the last
/// 48 hours, otherwise (or when WeChat says the window has closed) as the configured template message, or not at all.
/// </summary>
public sealed class WeChatDelivery(
    ITextOutboxStore store,
    IConversationReferenceStore references,
    TextOutbox outbox,
    WeChatClient client,
    IOptions<WeChatOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<WeChatDelivery> logger,
    IClusterLeases leases) : TextDelivery(WeChatChannel.Id, store, outbox, time, logger, leases)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override async Task<WeChatResult> SendAsync(OutboxText text, CancellationToken cancellationToken)
    {
        var result = await InWindowAsync(text.To, cancellationToken)
            ? await client.SendTextAsync(text.To, text.Text, cancellationToken)
            : new WeChatResult(45015, "no message from the user within the window");
        return result.OutsideWindow ? await SendTemplateAsync(text, result, cancellationToken) : result;
    }

    protected override void Refused(OutboxText text, WeChatResult result) =>
        Logger.LogWarning("WeChat message to {OpenId} not delivered: {Result}", WeChatChannel.Mask(text.To), result);

    /// <summary>Whether the user wrote to the account recently enough for a customer-service message.</summary>
    private async Task<bool> InWindowAsync(string openId, CancellationToken cancellationToken) =>
        await references.LastSavedAsync(WeChatChannel.Id, openId, cancellationToken) is { } last
        && Clock.GetUtcNow() - last < TimeSpan.FromHours(options.Value.CustomerServiceWindowHours);

    /// <summary>At most <paramref name="max"/> characters, "…" ending a cut, never half a surrogate pair.</summary>
    private static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        var keep = max - 1;
        if (char.IsHighSurrogate(text[keep - 1])) keep--;
        return text[..keep] + "…";
    }

    private async Task<WeChatResult> SendTemplateAsync(
        OutboxText item, WeChatResult refused, CancellationToken cancellationToken)
    {
        var template = options.Value.Template;
        if (template.Id is not { Length: > 0 } id) return refused;
        var text = item.Text.Replace('\n', ' ');
        var fields = new Dictionary<string, string>
        {
            [template.TextField] = Cut(text, template.MaxChars),
        };
        if (template.TimeField is { Length: > 0 } timeField)
            fields[timeField] = Clock.GetUtcNow().InChina().ToString("yyyy-MM-dd HH:mm");
        var url = configuration["Chat:PublicUrl"] is { Length: > 0 } site ? site : null;
        return await client.SendTemplateAsync(item.To, id, url, fields, cancellationToken);
    }
}
