using System.Text.Json;
using Linli.Tests.Support;
using Linli.Residents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Transcripts;

/// <summary>
/// Plays a conversation written as data through the real app over Direct Line:
/// <c>user: text</c> sends, <c>bot: text</c> expects the bot's next message to contain the text,
/// <c>restart</c> restarts the app on the same database, <c>wait: 31m</c> moves the clock, <c>locale: en</c> speaks English.
/// In user lines, <c>{code}</c> is the last one-time code sent and <c>{phone:3栋502}</c> the phone on file for that flat.
/// </summary>
public static class TranscriptRunner
{
    private sealed class CapturedCodes : ICodeSender
    {
        public string? Last { get; private set; }
        public Task SendAsync(string phone, string code, CancellationToken cancellationToken) { Last = code; return Task.CompletedTask; }
    }

    private static string Fill(string text, CapturedCodes codes, LinliAppFactory app)
    {
        text = text.Replace("{code}", codes.Last ?? "no-code-sent");
        return System.Text.RegularExpressions.Regex.Replace(text, @"\{phone:([^}]+)\}", m =>
        {
            var directory = app.Services.GetRequiredService<ResidentDirectory>();
            var unit = directory.FindUnit(m.Groups[1].Value)!;
            var db = app.Services.GetRequiredService<Linli.Storage.LinliDatabase>();
            return db.People.FindAll().First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == Linli.People.UnitRelation.Owner)).Phone;
        });
    }

    public static async Task RunAsync(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Transcripts", name + ".transcript"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var locale = lines.FirstOrDefault(l => l.StartsWith("locale:")) is { } l0 ? l0["locale:".Length..].Trim() : "zh-CN";

        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var codes = new CapturedCodes();
        LinliAppFactory NewApp() => new(directory: dir, time: clock, services: s => s.AddSingleton<ICodeSender>(codes));
        var app = NewApp();
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
                    app = NewApp();
                    dl = new DirectLineTestClient(app.CreateClient());
                }
                else if (line.StartsWith("wait:"))
                    clock.Advance(TimeSpan.FromMinutes(int.Parse(line["wait:".Length..].Trim().TrimEnd('m'))));
                else if (line.StartsWith("user:"))
                {
                    Assert.True(pending.Count == 0, $"line {i}: the bot also said: {string.Join(" | ", pending)}");
                    var text = Fill(line["user:".Length..].Trim(), codes, app);
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
