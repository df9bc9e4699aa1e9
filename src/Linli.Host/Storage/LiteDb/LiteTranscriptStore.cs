using LiteDB;
using Linli.StaffConsole;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Transcript lines in LiteDB. Each line's _id is an ObjectId LiteDB makes on insert: it orders the lines as they
/// arrived (lines of one instant too); files written before lines had no id of their own read the same way.
/// </summary>
public sealed class LiteTranscriptStore(LinliDatabase db) : ITranscriptStore
{
    public Task AppendAsync(TranscriptEntry line) => db.Together.RunAsync(() => db.Transcripts.Insert(line));

    public IReadOnlyList<TranscriptEntry> Read(string conversation, int take = int.MaxValue)
    {
        var latest = db.Transcripts.Query().Where(e => e.Conversation == conversation)
            .OrderByDescending(BsonExpression.Create("_id")).Limit(take).ToList();
        latest.Reverse();
        return latest;
    }

    public int DeleteBefore(DateTimeOffset cutoff) => db.Transcripts.DeleteMany(e => e.At < cutoff);
}
