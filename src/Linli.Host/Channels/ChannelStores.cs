using Linli.Channels.BotFramework;

namespace Linli.Channels;

/// <summary>
/// Keys of incoming messages already taken (a WeChat or WeCom MsgId, a signed request), so a channel's retry runs
/// once. Remembering is the check: one atomic insert-if-absent, safe across instances. (A Bot Connector activity's
/// id is kept in its conversation's state instead: see TurnRunner.RunOnceAsync.)
/// </summary>
public interface IProcessedActivities
{
    /// <summary>True the first time <paramref name="key"/> is offered (it is remembered); false ever after.</summary>
    Task<bool> FirstTimeAsync(string key, DateTimeOffset at);

    /// <summary>
    /// Forgets the keys taken before <paramref name="cutoff"/>, which can no longer come again (retries come within
    /// seconds, and a callback's timestamp must be within minutes of now); how many were forgotten.
    /// </summary>
    int ForgetBefore(DateTimeOffset cutoff);
}

/// <summary>Texts waiting for channels that take text by API (WeChat, WeCom), in the order they were queued.</summary>
public interface ITextOutboxStore
{
    void Add(IReadOnlyList<OutboxText> texts);

    /// <summary>The channel's waiting texts, oldest first (their ids sort in queue order).</summary>
    IReadOnlyList<OutboxText> Queued(string channel);

    bool HasQueued(string channel, string to);

    /// <summary>Saves a text's next attempt (its count, time and last error).</summary>
    void Save(OutboxText text);

    void Remove(string id);
}

/// <summary>Replies and proactive messages waiting for a Bot Framework Connector, in the order the bot spoke.</summary>
public interface IConnectorOutboxStore
{
    void Add(OutboxItem item);

    /// <summary>Every waiting item, oldest first.</summary>
    IReadOnlyList<OutboxItem> Queued();

    /// <summary>The service URLs with an item due at <paramref name="now"/>.</summary>
    IReadOnlyList<string> ServiceUrlsDue(DateTimeOffset now);

    /// <summary>Saves an item's next attempt (its count, time and last error).</summary>
    void Save(OutboxItem item);

    void Remove(string id);
}
