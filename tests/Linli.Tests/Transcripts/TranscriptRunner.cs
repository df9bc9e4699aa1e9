using System.Text.Json;
using Linli.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Transcripts;

/// <summary>
/// Plays a conversation written as data through the real app over Direct Line:
/// <c>user: text</c> sends, <c>bot: text</c> expects the bot's next message to contain the text,
/// <c>restart</c> restarts the app on the same database, <c>wait: 31m</c> moves the clock, <c>locale: en</c> speaks English.
/// </summary>
public static class TranscriptRunner
{
    public static async Task RunAsync(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Transcripts", name + ".transcript"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var locale = lines.FirstOrDefault(l => l.StartsWith("locale:")) is { } l0 ? l0["locale:".Length..].Trim() : "zh-CN";

        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = new LinliAppFactory(directory: dir, time: clock);
        try
        {
            var dl = new DirectLineTestClient(app.CreateClient());
            var conversation = await dl.StartAsUserAsync(locale, ct);
            var (_, watermark) = await dl.GetAsync(conversation, ct: ct);   // past the welcome
            var pending = new Queue<string>();

            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                if (line.StartsWith("locale:")) continue;
                if (line == "restart")
                {
                    Assert.Empty(pending);
                    app.Dispose();
                    app = new LinliAppFactory(directory: dir, time: clock);
                    dl = new DirectLineTestClient(app.CreateClient());
                }
                else if (line.StartsWith("wait:"))
                    clock.Advance(TimeSpan.FromMinutes(int.Parse(line["wait:".Length..].Trim().TrimEnd('m'))));
                else if (line.StartsWith("user:"))
                {
                    Assert.True(pending.Count == 0, $"line {i}: the bot also said: {string.Join(" | ", pending)}");
                    var text = line["user:".Length..].Trim();
                    var posted = await dl.PostAsync(conversation, new
                    {
                        type = "message", text, locale, from = new { id = "x", role = "user" },
                    }, ct: ct);
                    posted.EnsureSuccessStatusCode();
                    var (activities, next) = await dl.GetAsync(conversation, watermark, ct: ct);
                    watermark = next;
                    foreach (var a in activities.Where(a => a.GetProperty("from").GetProperty("role").GetString() == "bot"
                                                            && a.GetProperty("type").GetString() == "message"))
                        pending.Enqueue(a.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "");
                }
                else if (line.StartsWith("bot:"))
                {
                    var expected = line["bot:".Length..].Trim();
                    Assert.True(pending.Count > 0, $"line {i}: expected the bot to say “{expected}”, but it said nothing more");
                    var said = pending.Dequeue();
                    Assert.True(said.Contains(expected, StringComparison.Ordinal), $"line {i}: expected “{expected}”, the bot said “{said}”");
                }
                else throw new InvalidDataException($"{name}: line {i} is not user:, bot:, restart, wait: or locale:");
            }
            Assert.True(pending.Count == 0, $"the bot also said: {string.Join(" | ", pending)}");
        }
        finally
        {
            app.Dispose();
        }
    }
}
