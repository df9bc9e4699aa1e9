using Linli.Bot.Schema;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeChat;

/// <summary>A message on its way to a WeChat user through the API, kept until WeChat takes it.</summary>
public sealed record WeChatOutboxItem
{
    /// <summary>Sortable: each user's messages leave in the order the bot said them.</summary>
    public required string Id { get; init; }
    public required string OpenId { get; init; }
    public required string Text { get; init; }
    public int Attempts { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
}

/// <summary>The numbered choices last offered to a user (id: the openid), so "1" means what it meant then.</summary>
public sealed record WeChatChoices(string Id, List<WeChatChoice> Choices, DateTimeOffset At);

/// <summary>
/// What the bot says to WeChat users outside the HTTP response (a turn that took too long, a ticket's news, a staff
/// member's answer): rendered, written to LiteDB, then delivered by <see cref="WeChatDelivery"/>, so an outage of
/// WeChat or a restart delays a message but loses none.
/// </summary>
public sealed class WeChatOutbox(LinliDatabase db, TimeProvider time)
{
    private readonly SemaphoreSlim _pending = new(0);
    private long _sequence;

    /// <summary>Queues the activities as one message (or more, when too long) and remembers their buttons.</summary>
    public void Enqueue(string openId, IReadOnlyList<Activity> activities)
    {
        var (text, choices) = WeChatText.Render(activities);
        Remember(openId, choices);
        var now = time.GetUtcNow();
        foreach (var piece in WeChatText.Split(text))
            db.WeChatOutbox.Insert(new WeChatOutboxItem
            {
                Id = $"{now.UtcTicks:D19}-{Interlocked.Increment(ref _sequence):D9}",
                OpenId = openId, Text = piece, NextAttemptAt = now,
            });
        _pending.Release();
    }

    /// <summary>The buttons of the latest message to <paramref name="openId"/>; none when it had none.</summary>
    public void Remember(string openId, IReadOnlyList<WeChatChoice> choices)
    {
        if (choices.Count > 0) db.WeChatChoices.Upsert(new WeChatChoices(openId, [.. choices], time.GetUtcNow()));
        else db.WeChatChoices.Delete(openId);
    }

    public IReadOnlyList<WeChatChoice> ChoicesFor(string openId) => db.WeChatChoices.FindById(openId)?.Choices ?? [];

    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try { await _pending.WaitAsync(timeout, cancellationToken); }
        catch (OperationCanceledException) { }
    }
}

/// <summary>
/// Delivers the WeChat outbox, each user's messages in order: as customer-service messages while the user has
/// written in the last 48 hours, otherwise (or when WeChat says the window has closed) as the configured template
/// message, or not at all. Transient failures back off and retry; a refusal is logged and dropped.
/// </summary>
public sealed class WeChatDelivery(
    LinliDatabase db,
    WeChatOutbox outbox,
    WeChatClient client,
    IOptions<WeChatOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<WeChatDelivery> logger) : BackgroundService
{
    private const int MaxAttempts = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await DeliverDueAsync(stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "WeChat delivery failed; trying again shortly");
            }
            await outbox.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }

    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        var blocked = new HashSet<string>();
        foreach (var item in db.WeChatOutbox.FindAll().OrderBy(i => i.Id, StringComparer.Ordinal).ToList())
        {
            if (cancellationToken.IsCancellationRequested) return;
            // A later message never overtakes an earlier one still waiting for the same user.
            if (blocked.Contains(item.OpenId) || item.NextAttemptAt > time.GetUtcNow())
            {
                blocked.Add(item.OpenId);
                continue;
            }
            var result = InWindow(item.OpenId)
                ? await client.SendTextAsync(item.OpenId, item.Text, cancellationToken)
                : new WeChatResult(45015, "no message from the user within the window");
            if (result.OutsideWindow) result = await SendTemplateAsync(item, result, cancellationToken);
            if (result.Ok || !result.Transient || item.Attempts + 1 >= MaxAttempts)
            {
                if (!result.Ok)
                    logger.LogWarning("WeChat message to {OpenId} not delivered: {Result}", Mask(item.OpenId), result);
                db.WeChatOutbox.Delete(item.Id);
                continue;
            }
            var delay = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, item.Attempts + 1)));
            db.WeChatOutbox.Update(item with
            {
                Attempts = item.Attempts + 1, NextAttemptAt = time.GetUtcNow() + delay, LastError = result.ToString(),
            });
            blocked.Add(item.OpenId);
        }
    }

    /// <summary>Whether the user wrote to the account recently enough for a customer-service message.</summary>
    private bool InWindow(string openId) =>
        db.ConversationReferences.FindById($"{WeChatChannel.Id}|{openId}") is { } last
        && time.GetUtcNow() - last.UpdatedAt < TimeSpan.FromHours(options.Value.CustomerServiceWindowHours);

    private async Task<WeChatResult> SendTemplateAsync(
        WeChatOutboxItem item, WeChatResult refused, CancellationToken cancellationToken)
    {
        var template = options.Value.Template;
        if (template.Id is not { Length: > 0 } id) return refused;
        var text = item.Text.Replace('\n', ' ');
        var fields = new Dictionary<string, string>
        {
            [template.TextField] = text.Length <= template.MaxChars ? text : text[..(template.MaxChars - 1)] + "…",
        };
        if (template.TimeField is { Length: > 0 } timeField)
            fields[timeField] = time.GetUtcNow().ToOffset(Fees.Period.ChinaOffset).ToString("yyyy-MM-dd HH:mm");
        var url = configuration["Chat:PublicUrl"] is { Length: > 0 } site ? site : null;
        return await client.SendTemplateAsync(item.OpenId, id, url, fields, cancellationToken);
    }

    private static string Mask(string openId) => openId.Length <= 8 ? "****" : openId[..4] + "****" + openId[^4..];
}
