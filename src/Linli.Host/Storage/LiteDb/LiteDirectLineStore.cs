using LiteDB;
using Linli.Bot.Schema;
using Linli.Channels.DirectLine;

namespace Linli.Storage.LiteDb;

/// <summary>Direct Line conversations and their backlogs in LiteDB.</summary>
public sealed class LiteDirectLineStore(LinliDatabase db, TimeProvider time) : IDirectLineStore
{
    private readonly Lock _append = new();

    public DirectLineConversation Create(string? userId, string? locale = null)
    {
        var conversation = DirectLineConversation.New(userId, locale, time.GetUtcNow());
        db.DirectLineConversations.Insert(conversation);
        return conversation;
    }

    public DirectLineConversation? Find(string conversationId) => db.DirectLineConversations.FindById(conversationId);

    /// <summary>Marks the conversation started; false when it already was.</summary>
    public bool MarkStarted(string conversationId)
    {
        lock (_append)
        {
            var conversation = Find(conversationId);
            if (conversation is null || conversation.Started) return false;
            db.DirectLineConversations.Update(conversation with { Started = true });
            return true;
        }
    }

    /// <summary>Records who the conversation's user is, the first time they speak; false when it was known.</summary>
    public bool SetUserIfUnknown(string conversationId, string userId)
    {
        lock (_append)
        {
            var conversation = Find(conversationId);
            if (conversation is null || conversation.UserId is not null) return false;
            db.DirectLineConversations.Update(conversation with { UserId = userId });
            return true;
        }
    }

    /// <summary>Gives the activity its id and timestamp and adds it to the backlog.</summary>
    public DirectLineActivityRecord Append(string conversationId, Activity activity) =>
        AppendOnce(conversationId, activity).Record;

    /// <summary>
    /// As <see cref="Append"/>, but a user's activity whose <c>clientActivityID</c> is already in the backlog (a client
    /// retrying a send whose answer it never got) is not added again: the first one is returned with IsNew false.
    /// </summary>
    public (DirectLineActivityRecord Record, bool IsNew) AppendOnce(string conversationId, Activity activity)
    {
        var clientKey = DirectLineActivityRecord.ClientKeyOf(conversationId, activity);
        lock (_append)
        {
            if (clientKey is not null && db.DirectLineActivities.FindOne(a => a.ClientKey == clientKey) is { } seen)
                return (seen, false);
            var conversation = Find(conversationId)
                ?? throw new InvalidOperationException($"No Direct Line conversation {conversationId}.");
            var seq = conversation.LastSeq + 1;
            var record = DirectLineActivityRecord.Of(conversationId, seq, activity, clientKey, time.GetUtcNow());
            db.BeginTrans();
            try
            {
                db.DirectLineActivities.Insert(record);
                db.DirectLineConversations.Update(conversation with { LastSeq = seq });
                db.Commit();
                return (record, true);
            }
            catch
            {
                db.Rollback();
                throw;
            }
        }
    }

    /// <summary>The backlog after <paramref name="watermark"/>, oldest first.</summary>
    public IReadOnlyList<DirectLineActivityRecord> After(string conversationId, int watermark) =>
        db.DirectLineActivities
            .Find(BsonExpression.Create("$.ConversationId = @0 AND $.Seq > @1", conversationId, watermark))
            .OrderBy(a => a.Seq)
            .ToList();

    /// <summary>
    /// Deletes conversations started before <paramref name="cutoff"/>, with every activity in them; returns how many.
    /// </summary>
    public int DeleteStartedBefore(DateTimeOffset cutoff) =>
        Delete(db.DirectLineConversations.Find(c => c.CreatedAt < cutoff).Select(c => c.Id).ToList());

    /// <summary>Deletes these conversations and every activity in them.</summary>
    public int Delete(IReadOnlyCollection<string> conversationIds)
    {
        foreach (var id in conversationIds)
        {
            db.DirectLineActivities.DeleteMany(a => a.ConversationId == id);
            db.DirectLineConversations.Delete(id);
        }
        return conversationIds.Count;
    }
}
