using LiteDB;
using Linli.StaffConsole;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Transcript lines in LiteDB. A line said alone is a document of its own; a turn's lines (a resident's message and
/// the bot's replies) are one document, <c>{ Conversation, At, Lines: [...] }</c>, so a turn costs one insert and one
/// entry in each index, not one per line. Documents' _ids are ObjectIds LiteDB makes on insert: they order the lines
/// as they arrived (lines of one instant too); files written before lines had ids of their own read the same way.
/// </summary>
public sealed class LiteTranscriptStore(LinliDatabase db) : ITranscriptStore
{
    public Task AppendAsync(IReadOnlyList<TranscriptEntry> lines)
    {
        var document = Document(db.Mapper, lines);
        return db.Together.RunAsync(() => Documents(db).Insert(document));
    }

    public IReadOnlyList<TranscriptEntry> Read(string conversation, int take = int.MaxValue)
    {
        var latest = new List<TranscriptEntry>();
        var newestFirst = Documents(db).Query().Where("Conversation = @0", conversation)
            .OrderByDescending("_id").ToEnumerable();
        foreach (var document in newestFirst)
        {
            // Each document's lines, last first, until there are enough.
            latest.AddRange(Lines(db.Mapper, document).Reverse());
            if (latest.Count >= take) break;
        }
        if (latest.Count > take) latest.RemoveRange(take, latest.Count - take);
        latest.Reverse();
        return latest;
    }

    /// <summary>A turn's lines go together, once the last of them is older than the cutoff.</summary>
    public int DeleteBefore(DateTimeOffset cutoff) => db.InTransaction(() =>
    {
        var before = Query.LT("At", db.Mapper.Serialize(cutoff));
        var lines = Documents(db).Find(before).Sum(LineCount);
        Documents(db).DeleteMany(before);
        return lines;
    });

    /// <summary>Every line of a conversation, oldest first (an export, a copy).</summary>
    public static IEnumerable<TranscriptEntry> LinesOf(LinliDatabase db, string conversation) =>
        Documents(db).Query().Where("Conversation = @0", conversation).OrderBy("_id").ToEnumerable()
            .SelectMany(d => Lines(db.Mapper, d));

    /// <summary>Erases a conversation's lines, those said alone and its turns'.</summary>
    public static void DeleteConversation(LinliDatabase db, string conversation) =>
        Documents(db).DeleteMany("Conversation = @0", conversation);

    /// <summary>Every line kept, in the order they came.</summary>
    public static IEnumerable<TranscriptEntry> AllLines(LinliDatabase db) =>
        Documents(db).Query().OrderBy("_id").ToEnumerable().SelectMany(d => Lines(db.Mapper, d));

    private static ILiteCollection<BsonDocument> Documents(LinliDatabase db) =>
        db.GetCollection(LinliDatabase.TranscriptsName);

    private static BsonDocument Document(BsonMapper mapper, IReadOnlyList<TranscriptEntry> lines)
    {
        if (lines.Count == 1) return mapper.ToDocument(lines[0]);
        return new BsonDocument
        {
            ["Conversation"] = lines[0].Conversation,
            ["At"] = mapper.Serialize(lines[^1].At),
            ["Lines"] = new BsonArray(lines.Select(line =>
            {
                var one = mapper.ToDocument(line);
                one.Remove("Conversation");
                return one;
            })),
        };
    }

    private static IEnumerable<TranscriptEntry> Lines(BsonMapper mapper, BsonDocument document)
    {
        if (!document.TryGetValue("Lines", out var lines) || !lines.IsArray)
        {
            yield return mapper.ToObject<TranscriptEntry>(document);
            yield break;
        }
        foreach (var line in lines.AsArray)
        {
            var one = line.AsDocument;
            one["Conversation"] = document["Conversation"];
            yield return mapper.ToObject<TranscriptEntry>(one);
        }
    }

    private static int LineCount(BsonDocument document) =>
        document.TryGetValue("Lines", out var lines) && lines.IsArray ? lines.AsArray.Count : 1;
}
