using LiteDB;
using Linli.Channels;
using Linli.Channels.BotFramework;
using Linli.Channels.WeChat;

namespace Linli.Storage.LiteDb;

public sealed class LiteProcessedActivities(LinliDatabase db) : IProcessedActivities
{
    // LiteDB lets two threads inserting the same new _id at once both succeed (the contract test races it), so ids are
    // inserted by the one writer of grouped commits, in turn: the index refuses an id any earlier write inserted.
    // One process owns the file.
    public async Task<bool> FirstTimeAsync(string key, DateTimeOffset at)
    {
        try
        {
            await db.Together.RunAsync(() => db.ProcessedActivities.Insert(new ProcessedActivity(key, at)));
            return true;
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
    }

    // Found by a full read off the writer (an index on time would cost every insert a second entry), deleted on it in
    // batches, so a turn's write waits for one batch at most. A key forgotten meanwhile and taken again is newer than
    // the cutoff, and stays.
    public int ForgetBefore(DateTimeOffset cutoff)
    {
        // By LINQ: the cutoff goes in as a parameter, so each hour's query is not another entry in LiteDB's cache of
        // parsed query texts.
        var old = db.ProcessedActivities.Find(a => a.At < cutoff).Select(a => a.Id).ToList();
        var forgotten = 0;
        foreach (var batch in old.Chunk(500))
            forgotten += db.Together.RunAsync(() => batch.Count(id =>
                    db.ProcessedActivities.FindById(id) is { } taken && taken.At < cutoff
                    && db.ProcessedActivities.Delete(id)))
                .GetAwaiter().GetResult();
        return forgotten;
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
