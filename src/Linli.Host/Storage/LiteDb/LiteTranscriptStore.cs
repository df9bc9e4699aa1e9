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
/// were close to half of what a turn wrote. Documents' _ids are ObjectIds LiteDB makes on insert, which increase
/// while the clock does, so every line kept also reads in about the order it came (<see cref="AllLines"/>). Files
/// made before the chain are chained when they open (<see cref="ChainFilesMadeBefore"/>).
/// </para>
/// <para>
/// Appending, erasing and pruning all change chains on the writer (<see cref="LinliDatabase.Together"/>), one at a
/// time: each reads a head and changes it with nothing in between. The writer remembers the heads it read and wrote
/// (<see cref="LinliDatabase.TranscriptHeads"/>), so an append reads none, and forgets them when a commit rolls back.
/// Reading does not use the writer (see <see cref="NewestFirst"/>).
/// </para>
/// </summary>
public sealed class LiteTranscriptStore(LinliDatabase db) : ITranscriptStore
{
    /// <summary>Each conversation's newest document: <c>{ _id: conversation, Last: ObjectId }</c>.</summary>
    public const string HeadsName = "transcript_heads";

    private const string Prev = "Prev";
    private const string Last = "Last";
    private const string LegacyConversationIndex = "Conversation";

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
    /// clock set back, a line kept late): a document kept whose <c>Prev</c> goes is linked to the nearest older
    /// document kept, and so is a head that goes; with none kept, its <c>Prev</c> is removed, or the head.
    /// <para>
    /// Planned off the writer, reading every document (there is no index on the time); only the deletions and links
    /// run on the writer, and an hour with nothing to prune writes nothing.
    /// </para>
    /// </summary>
    public int DeleteBefore(DateTimeOffset cutoff)
    {
        var before = db.Mapper.Serialize(cutoff);
        var gone = new Dictionary<BsonValue, (BsonValue Prev, string Conversation, int Lines)>();
        var relink = new List<BsonValue>();
        var lastSeen = BsonValue.MinValue;
        foreach (var document in Documents(db).FindAll())
        {
            var (id, previous) = (document["_id"], PrevOf(document));
            if (document["At"].CompareTo(before) < 0)
                gone[id] = (previous, ConversationOf(document), LineCount(document));
            // Its Prev is older, met before it, unless the clock went back: then whether it goes is known at the end.
            else if (gone.ContainsKey(previous) || previous.CompareTo(id) > 0) relink.Add(id);
            if (id.CompareTo(lastSeen) > 0) lastSeen = id;
        }
        if (gone.Count == 0) return 0;
        return db.Together.RunAsync(() =>
        {
            // Appended since the plan, each after the head it names: linked like the others.
            relink.AddRange(Documents(db).Find(BsonExpression.Create("_id > @0", lastSeen)).Select(d => d["_id"]));
            var lines = 0;
            foreach (var (id, document) in gone)
                if (Documents(db).Delete(id)) lines += document.Lines;
            foreach (var id in relink)
            {
                if (Documents(db).FindById(id) is not { } document || !gone.ContainsKey(PrevOf(document))) continue;
                var kept = Kept(PrevOf(document));
                if (kept.IsNull) document.Remove(Prev);
                else document[Prev] = kept;
                Documents(db).Update(document);
            }
            foreach (var conversation in gone.Values.Select(g => g.Conversation).Distinct())
            {
                db.TranscriptHeads.Remove(conversation);
                if (Heads(db).FindById(conversation) is not { } head || !gone.ContainsKey(head[Last])) continue;
                var newest = Kept(head[Last]);
                if (newest.IsNull) Heads(db).Delete(conversation);
                else Heads(db).Update(Head(conversation, newest));
            }
            return lines;
        }).GetAwaiter().GetResult();

        // The nearest older document kept, or Null, going back from one that goes.
        BsonValue Kept(BsonValue id)
        {
            while (gone.TryGetValue(id, out var document)) id = document.Prev;
            return id;
        }
    }

    /// <summary>Every line of a conversation, oldest first (an export, a copy).</summary>
    public static IEnumerable<TranscriptEntry> LinesOf(LinliDatabase db, string conversation) =>
        NewestFirst(db, conversation).Reverse().SelectMany(d => Lines(db.Mapper, d));

    /// <summary>
    /// Erases a conversation's lines, those said alone and its turns': its chain, and whatever names the conversation
    /// outside it (found by reading every document, off the writer), so a broken link leaves nothing behind.
    /// </summary>
    public static void DeleteConversation(LinliDatabase db, string conversation)
    {
        var named = Documents(db).Find(BsonExpression.Create("Conversation = @0", conversation))
            .Select(d => d["_id"]).ToList();
        db.Together.RunAsync(() =>
        {
            foreach (var id in NewestFirst(db, conversation).Select(d => d["_id"]).ToList().Concat(named))
                Documents(db).Delete(id);
            Heads(db).Delete(conversation);
            db.TranscriptHeads.Remove(conversation);
        }).GetAwaiter().GetResult();
    }

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
            .Exists(Query.And(Query.EQ("collection", LinliDatabase.TranscriptsName),
                Query.EQ("name", LegacyConversationIndex)));
        if (!indexed) return;
        db.InTransaction(() =>
        {
            var documents = Documents(db);
            var newest = new Dictionary<string, BsonValue>(StringComparer.Ordinal);
            var all = documents.Query().OrderBy("_id").Select("{ _id, Conversation }").ToList();
            foreach (var document in all)
            {
                // A document naming no conversation belongs to no chain; retention deletes it by its time.
                var (id, conversation) = (document["_id"], ConversationOf(document));
                if (conversation.Length == 0) continue;
                if (newest.TryGetValue(conversation, out var previous))
                {
                    var whole = documents.FindById(id);
                    whole[Prev] = previous;
                    documents.Update(whole);
                }
                newest[conversation] = id;
            }
            Heads(db).DeleteAll();
            Heads(db).Insert(newest.Select(pair => Head(pair.Key, pair.Value)));
            return documents.DropIndex(LegacyConversationIndex);
        });
    }

    /// <summary>At most this many heads are remembered on the writer; past that, it forgets them all.</summary>
    private const int HeadsRemembered = 16_384;

    private static BsonValue Append(LinliDatabase db, BsonDocument document)
    {
        var conversation = document["Conversation"].AsString;
        // Run again after a batch rolled back, it names the head as it is now.
        document.Remove(Prev);
        var heads = db.TranscriptHeads;
        if (!heads.TryGetValue(conversation, out var last)) last = Heads(db).FindById(conversation)?[Last];
        if (last is not null) document[Prev] = last;
        var id = Documents(db).Insert(document);
        Heads(db).Upsert(Head(conversation, id));
        if (heads.Count >= HeadsRemembered) heads.Clear();
        heads[conversation] = id;
        return id;
    }

    /// <summary>
    /// The conversation's documents, newest first, following each one's <c>Prev</c>. Reading does not wait for the
    /// writer: a document that is gone from under it (pruned, erased) is read past by starting again at the head, and
    /// going on after the last document read.
    /// </summary>
    private static IEnumerable<BsonDocument> NewestFirst(LinliDatabase db, string conversation)
    {
        BsonValue? oldest = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var next = Heads(db).FindById(conversation)?[Last] ?? BsonValue.Null;
            var reading = oldest is null;
            // A link back to a document already read (never made, but a file can be damaged) ends the chain.
            var seen = new HashSet<BsonValue>();
            while (!next.IsNull && !seen.Contains(next) && Documents(db).FindById(next) is { } document)
            {
                seen.Add(next);
                if (reading)
                {
                    yield return document;
                    oldest = next;
                }
                else reading = next.Equals(oldest);
                next = PrevOf(document);
            }
            if (next.IsNull || seen.Contains(next)) yield break;
        }
    }

    private static string ConversationOf(BsonDocument document) =>
        document.TryGetValue("Conversation", out var conversation) && conversation.IsString
            ? conversation.AsString
            : "";

    private static BsonValue PrevOf(BsonDocument document) =>
        document.TryGetValue(Prev, out var previous) ? previous : BsonValue.Null;

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
