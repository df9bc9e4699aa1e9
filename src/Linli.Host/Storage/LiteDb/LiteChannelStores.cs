using System.Collections.Concurrent;
using LiteDB;
using Linli.Channels;
using Linli.Channels.BotFramework;
using Linli.Channels.WeChat;

namespace Linli.Storage.LiteDb;

public sealed class LiteProcessedActivities(LinliDatabase db) : IProcessedActivities
{
    // LiteDB lets two threads inserting the same new _id at once both succeed (the contract test races it), so an id
    // being inserted is held here meanwhile: a second insert of it is a duplicate at once, and inserts of other ids
    // never wait on each other. Once inserted, the index refuses it. One process owns the file.
    private readonly ConcurrentDictionary<string, byte> _inserting = new(StringComparer.Ordinal);

    public bool FirstTime(string key, DateTimeOffset at)
    {
        if (!_inserting.TryAdd(key, 0)) return false;
        try
        {
            db.ProcessedActivities.Insert(new ProcessedActivity(key, at));
            return true;
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
        finally
        {
            _inserting.TryRemove(key, out _);
        }
    }
}

public sealed class LiteTextOutboxStore(LinliDatabase db) : ITextOutboxStore
{
    public void Add(IReadOnlyList<OutboxText> texts) => db.TextOutbox.InsertBulk(texts);

    public IReadOnlyList<OutboxText> Queued(string channel) =>
        db.TextOutbox.Find(t => t.Channel == channel).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();

    public bool HasQueued(string channel, string to) => db.TextOutbox.Exists(t => t.Channel == channel && t.To == to);

    public void Save(OutboxText text) => db.TextOutbox.Upsert(text);

    public void Remove(string id) => db.TextOutbox.Delete(id);
}

public sealed class LiteConnectorOutboxStore(LinliDatabase db) : IConnectorOutboxStore
{
    public void Add(OutboxItem item) => db.Outbox.Insert(item);

    public IReadOnlyList<OutboxItem> Queued() =>
        db.Outbox.FindAll().OrderBy(i => i.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> ServiceUrlsDue(DateTimeOffset now) =>
        db.Outbox.Find(i => i.NextAttemptAt <= now).Select(i => i.ServiceUrl).Distinct().ToList();

    public void Save(OutboxItem item) => db.Outbox.Upsert(item);

    public void Remove(string id) => db.Outbox.Delete(id);
}

public sealed class LiteWeChatChoicesStore(LinliDatabase db) : IWeChatChoicesStore
{
    public void Save(WeChatChoices choices) => db.WeChatChoices.Upsert(choices);

    public WeChatChoices? Find(string openId) => db.WeChatChoices.FindById(openId);

    public void Forget(string openId) => db.WeChatChoices.Delete(openId);
}
