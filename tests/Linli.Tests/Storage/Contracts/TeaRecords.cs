using System.Text.Json;
using Linli.TeaTable;

namespace Linli.Tests.Storage.Contracts;

/// <summary>Threads and posts for the tea table's store contracts, and a comparison that looks inside lists.</summary>
internal static class TeaRecords
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    public static TeaThread Thread(string community, string title = "充电桩装在哪里？",
        int minutes = 0) => new()
        {
            CommunityId = community,
            Title = title,
            AuthorId = "p-alice",
            AuthorName = "李** · 3栋",
            CreatedAt = Noon.AddMinutes(minutes),
            LastPostAt = Noon.AddMinutes(minutes),
            PostCount = 1,
            Followers = ["p-alice"],
        };

    public static Post Post(TeaThread thread, string text = "地下车库东侧有空位。", string author = "p-alice",
        int minutes = 0) => new()
        {
            ThreadId = thread.Id,
            CommunityId = thread.CommunityId,
            AuthorId = author,
            AuthorName = "李** · 3栋",
            Text = text,
            Html = $"<p>{text}</p>",
            CreatedAt = Noon.AddMinutes(minutes),
        };

    /// <summary>Records holding lists compare their lists by reference; their JSON compares what is in them.</summary>
    public static void AssertSame<T>(T expected, T? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
    }
}
