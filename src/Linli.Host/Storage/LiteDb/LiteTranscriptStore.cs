using LiteDB;
using Linli.StaffConsole;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Transcript lines in LiteDB. A line said alone is a document of its own; a turn's lines (a resident's message and
/// the bot's replies) are one document, <c>{ Conversation, At, Lines: [...] }</c>, so a turn costs one insert.
/// <para>
/// A conversation's documents are a chain, newest first: each names the one before it (<c>Prev</c>), and
/// <c>transcript_heads</c> keeps each conversation's newest. There is no index on the conversation: each entry would
/// land among its conversation's old entries, on index pages the commit would not otherwise touch, and such entries
/// were close to half of what a turn wrote. Documents' _ids are ObjectIds LiteDB makes on insert, so every line kept
/// also reads in the order it came (<see cref="AllLines"/>). Files made before the chain are chained when they open
/// (<see cref="ChainFilesMadeBefore"/>).
/// </para>
/// <para>
/// Appending, erasing and pruning all run on the writer (<see cref="LinliDatabase.Together"/>), one at a time: each
/// reads a head and changes it with nothing in between.
/// </para>
/// </summary>
public sealed class LiteTranscriptStore(LinliDatabase db) : ITranscriptStore
{
    /// <summary>Each conversation's newest document: <c>{ _id: conversation, Last: ObjectId }</c>.</summary>
    public const string HeadsName = "transcript_heads";

    private const string Prev = "Prev";
    private const string Last = "Last";
    private const string ByConversation = "Conversation";

    public Task AppendAsync(IReadOnlyList<TranscriptEntry> lines)
    {
        var document = Document(db.Mapper, lines);
        return db.Together.RunAsync(() => Append(db, document));
    }

    public IReadOnlyList<TranscriptEntry> Read(string conversation, int take = int.MaxValue)
    {
        var latest = new List<TranscriptEntry>();
        foreach (var document in NewestFirst(db, conversation))
        {
            // Each document's lines, last first, until there are enough.
            latest.AddRange(Lines(db.Mapper, document).Reverse());
            if (latest.Count >= take) break;
        }
        if (latest.Count > take) latest.RemoveRange(take, latest.Count - take);
        latest.Reverse();
        return latest;
    }

    /// <summary>
    /// A turn's lines go together, once the last of them is older than the cutoff. Times need not follow the chain (a
    /// clock set back, a line kept late): a document kept whose <c>Prev</c> went, and a head that went, are linked
    /// to the newest document kept before it. A chain that ends at a document gone ends there.
    /// </summary>
    public int DeleteBefore(DateTimeOffset cutoff) => db.Together.RunAsync(() =>
    {
        var before = db.Mapper.Serialize(cutoff);
        var lines = 0;
        var gone = new Dictionary<BsonValue, BsonValue>(); // each document deleted, and its Prev
        var relink = new List<(BsonValue Id, BsonValue Prev)>();
        // In _id order, so a document's Prev (older) is met before it.
        foreach (var document in Documents(db).FindAll())
        {
            var previous = document.TryGetValue(Prev, out var p) ? p : BsonValue.Null;
            if (document["At"].CompareTo(before) < 0)
            {
                gone[document["_id"]] = previous;
                lines += LineCount(document);
            }
            else if (gone.ContainsKey(previous)) relink.Add((document["_id"], Kept(previous)));
        }
        foreach (var id in gone.Keys) Documents(db).Delete(id);
        foreach (var (id, previous) in relink.Where(r => !r.Prev.IsNull))
        {
            var document = Documents(db).FindById(id);
            document[Prev] = previous;
            Documents(db).Update(document);
        }
        foreach (var head in Heads(db).FindAll().Where(h => gone.ContainsKey(h[Last])).ToList())
        {
            var newest = Kept(head[Last]);
            if (newest.IsNull) Heads(db).Delete(head["_id"]);
            else Heads(db).Update(Head(head["_id"].AsString, newest));
        }
        return lines;

        // The first document kept, or none, going back from one gone.
        BsonValue Kept(BsonValue id)
        {
            while (gone.TryGetValue(id, out var previous)) id = previous;
            return id;
        }
    }).GetAwaiter().GetResult();

    /// <summary>Every line of a conversation, oldest first (an export, a copy).</summary>
    public static IEnumerable<TranscriptEntry> LinesOf(LinliDatabase db, string conversation) =>
        NewestFirst(db, conversation).Reverse().SelectMany(d => Lines(db.Mapper, d));

    /// <summary>Erases a conversation's lines, those said alone and its turns'.</summary>
    public static void DeleteConversation(LinliDatabase db, string conversation) => db.Together.RunAsync(() =>
    {
        foreach (var document in NewestFirst(db, conversation).ToList()) Documents(db).Delete(document["_id"]);
        Heads(db).Delete(conversation);
    }).GetAwaiter().GetResult();

    /// <summary>Every line kept, in the order they came.</summary>
    public static IEnumerable<TranscriptEntry> AllLines(LinliDatabase db) =>
        Documents(db).Query().OrderBy("_id").ToEnumerable().SelectMany(d => Lines(db.Mapper, d));

    /// <summary>
    /// Chains the documents of a file made before chains (which had an index on the conversation instead), in one
    /// transaction, once: the index goes with it. Only ids and conversations are held in memory, not the lines.
    /// </summary>
    internal static void ChainFilesMadeBefore(LinliDatabase db)
    {
        var indexed = db.GetCollection("$indexes")
            .Exists(Query.And(Query.EQ("collection", LinliDatabase.TranscriptsName), Query.EQ("name", ByConversation)));
        if (!indexed) return;
        db.InTransaction(() =>
        {
            var documents = Documents(db);
            var newest = new Dictionary<string, BsonValue>(StringComparer.Ordinal);
            var all = documents.Query().OrderBy("_id").Select("{ _id, Conversation }").ToList();
            foreach (var document in all)
            {
                var (id, conversation) = (document["_id"], document["Conversation"].AsString);
                if (newest.TryGetValue(conversation, out var previous))
                {
                    var whole = documents.FindById(id);
                    whole[Prev] = previous;
                    documents.Update(whole);
                }
                newest[conversation] = id;
            }
            Heads(db).Upsert(newest.Select(pair => Head(pair.Key, pair.Value)));
            return documents.DropIndex(ByConversation);
        });
    }

    private static BsonValue Append(LinliDatabase db, BsonDocument document)
    {
        var conversation = document["Conversation"].AsString;
        if (Heads(db).FindById(conversation) is { } head) document[Prev] = head[Last];
        var id = Documents(db).Insert(document);
        Heads(db).Upsert(Head(conversation, id));
        return id;
    }

    /// <summary>The conversation's documents, newest first, following each one's <c>Prev</c>.</summary>
    private static IEnumerable<BsonDocument> NewestFirst(LinliDatabase db, string conversation)
    {
        var next = Heads(db).FindById(conversation)?[Last];
        while (next is not null && !next.IsNull && Documents(db).FindById(next) is { } document)
        {
            yield return document;
            next = document.TryGetValue(Prev, out var previous) ? previous : null;
        }
    }

    private static BsonDocument Head(string conversation, BsonValue last) =>
        new() { ["_id"] = conversation, [Last] = last };

    private static ILiteCollection<BsonDocument> Documents(LinliDatabase db) =>
        db.GetCollection(LinliDatabase.TranscriptsName);

    private static ILiteCollection<BsonDocument> Heads(LinliDatabase db) => db.GetCollection(HeadsName);

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
