using System.Collections;
using System.Reflection;
using LiteDB;
using Linli.StaffConsole;
using Linli.Storage;
using Linli.Storage.LiteDb;

namespace Linli.Tests.Storage;

/// <summary>
/// LiteDB keeps every query text it parses, for the life of the process, and never lets one go. A value written into
/// the text (a conversation, a person, an id) would add one more for every value ever asked about, so the stores pass
/// values as parameters: the text stays the same, and is kept once.
/// </summary>
public sealed class LiteQueryTextTests : IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    [Fact]
    public async Task PruningErasingAndAPersonsCasesKeepTheirValuesOutOfTheQueryText()
    {
        var transcripts = new LiteTranscriptStore(_db);
        var conversation = $"webchat|{Guid.NewGuid():N}";
        var noon = new DateTimeOffset(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);
        await transcripts.AppendAsync([Line(conversation, noon.AddDays(-200))]);
        await transcripts.AppendAsync([Line(conversation, noon)]);
        var newest = _db.GetCollection(LinliDatabase.TranscriptsName).Max("_id");
        var person = $"p-{Guid.NewGuid():N}";

        Assert.Equal(1, transcripts.DeleteBefore(noon.AddDays(-100)));
        LiteTranscriptStore.DeleteConversation(_db, conversation);
        Assert.Empty(new LiteMediationStore(_db).ForPerson("north", person));

        Assert.Empty(transcripts.Read(conversation));
        var texts = CachedQueryTexts();
        // The three queries, as LiteDB writes them back: each with its parameter, none with its value.
        Assert.Contains("$._id>@0", texts);
        Assert.Contains("$.Conversation=@0", texts);
        Assert.Contains("MAP($.Parties[*]=>@.PersonId) ANY=@0", texts);
        Assert.DoesNotContain(texts, t => t.Contains(conversation) || t.Contains(person));
        Assert.DoesNotContain(texts, t => t.Contains(newest.AsObjectId.ToString()));
    }

    private static TranscriptEntry Line(string conversation, DateTimeOffset at) =>
        new() { Conversation = conversation, At = at, Role = "user", Text = "水管漏了" };

    // Every text LiteDB has compiled in this process (other tests' too, running alongside: only our values are looked
    // for). LiteDB 5 keeps them in two dictionaries, by the text of each expression and of each part of it.
    private static List<string> CachedQueryTexts() =>
    [
        .. new[] { "_cacheScalar", "_cacheEnumerable" }.SelectMany(name =>
            (typeof(BsonExpression).GetField(name, BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)
                as IDictionary ?? throw new InvalidOperationException($"LiteDB no longer has {name}: look again."))
            .Keys.Cast<string>()),
    ];

    public void Dispose() => _db.Dispose();
}
