using System.Text.Json;
using Linli.Tests.Support;
using Linli.Residents;
using Linli.Storage.LiteDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Transcripts;

/// <summary>
/// Plays a conversation written as data through the real app over Direct Line: <c>user: text</c> sends, <c>bot:
/// text</c> expects the bot's next message to contain the text, <c>restart</c> restarts the app on the same database,
/// <c>wait: 31m</c> moves the clock, <c>locale: en</c> speaks English, <c>date: 2026-11-15</c> starts the clock on that
/// day, <c>channel: wechat</c> plays it over the WeChat callback. In user lines, <c>{code}</c> is the last one-time
/// code sent and <c>{phone:3栋502}</c> the phone on file for that flat; in bot lines, <c>{last_month}</c> is the month
/// before the clock's ("2026年11月").
/// </summary>
public static class TranscriptRunner
{
    private sealed class CapturedCodes : Linli.Residents.Sms.ISmsSender
    {
        public string? Last { get; private set; }
        public Task SendCodeAsync(string phone, string code, CancellationToken cancellationToken)
        {
            Last = code;
            return Task.CompletedTask;
        }
    }

    private static string Fill(string text, CapturedCodes codes, LinliAppFactory app)
    {
        text = text.Replace("{code}", codes.Last ?? "no-code-sent");
        // {thread:title}: the number of the newest tea-table discussion with that title.
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\{thread:([^}]+)\}", m =>
        {
            var title = m.Groups[1].Value;
            return app.Services.GetRequiredService<LinliDatabase>().TeaThreads.Find(t => t.Title == title)
                .Max(t => t.Id).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        return System.Text.RegularExpressions.Regex.Replace(text, @"\{phone:([^}]+)\}", m =>
        {
            var directory = app.Services.GetRequiredService<ResidentDirectory>();
            var unit = directory.FindUnit(m.Groups[1].Value)!;
            var db = app.Services.GetRequiredService<LinliDatabase>();
            return db.People.FindAll()
                .First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == Linli.People.UnitRelation.Owner))
                .Phone;
        });
    }

    /// <summary>How the runner speaks to the app: Direct Line, or WeChat's callback.</summary>
    private interface IChat
    {
        /// <summary>Says <paramref name="text"/>; everything the bot says back, one message each.</summary>
        Task<List<string>> SayAsync(string text, CancellationToken ct);
    }

    private sealed class DirectLineChat(
        DirectLineTestClient dl, DirectLineTestClient.Started conversation, string locale, string? watermark)
        : IChat
    {
        public async Task<List<string>> SayAsync(string text, CancellationToken ct)
        {
            var posted = await dl.PostAsync(conversation, new
            {
                type = "message", text, locale, from = new { id = "x", role = "user" },
            }, ct: ct);
            posted.EnsureSuccessStatusCode();
            var (activities, next) = await dl.GetAsync(conversation, watermark, ct: ct);
            watermark = next;
            return [.. activities
                .Where(a => a.GetProperty("from").GetProperty("role").GetString() == "bot"
                            && a.GetProperty("type").GetString() == "message")
                .Select(a => a.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "")];
        }

        public static async Task<DirectLineChat> StartAsync(LinliAppFactory app, string locale, CancellationToken ct)
        {
            var dl = new DirectLineTestClient(app.CreateClient());
            var conversation = await dl.StartAsUserAsync(locale, ct);
            var (_, watermark) = await dl.GetAsync(conversation, ct: ct);   // past the welcome
            return new DirectLineChat(dl, conversation, locale, watermark);
        }

        public DirectLineChat Reconnect(LinliAppFactory app) =>
            new(new DirectLineTestClient(app.CreateClient()), conversation, locale, watermark);
    }

    /// <summary>
    /// A follower of the service account: the passive reply holds the bot's messages, a blank line apart.
    /// </summary>
    private sealed class WeChatChat(WeChatUser user) : IChat
    {
        public async Task<List<string>> SayAsync(string text, CancellationToken ct) =>
            WeChatUser.Messages(await user.SayAsync(text, ct: ct));
    }

    public static async Task RunAsync(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Transcripts", name + ".transcript"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var locale = lines.FirstOrDefault(l => l.StartsWith("locale:")) is { } l0
            ? l0["locale:".Length..].Trim()
            : "zh-CN";
        // "date: 2026-11-15" sets the clock (China time) before the app starts, for months said relatively
        // ("上个月").
        static DateTimeOffset MorningOf(string date) => new(
            DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(10, 0)),
            TimeSpan.FromHours(8));
        var start = lines.FirstOrDefault(l => l.StartsWith("date:")) is { } d0
            ? MorningOf(d0["date:".Length..].Trim())
            : DateTimeOffset.UtcNow;

        // "channel: wechat" plays the conversation as a follower of the service account instead.
        var overWeChat = lines.Contains("channel: wechat");
        await using var wechat = overWeChat ? await FakeWeChat.StartAsync() : null;
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(start);
        var codes = new CapturedCodes();
        LinliAppFactory NewApp() => new(
            wechat is null ? null : WeChatUser.Settings(wechat), directory: dir, time: clock,
            services: s => s.AddSingleton<Linli.Residents.Sms.ISmsSender>(codes));
        var app = NewApp();
        try
        {
            async Task<IChat> Connect(IChat? before)
            {
                if (wechat is null)
                    return before is DirectLineChat dl
                        ? dl.Reconnect(app)
                        : await DirectLineChat.StartAsync(app, locale, ct);
                var user = new WeChatUser(app.CreateClient(), "o-transcript", time: clock);
                if (before is null) await user.FollowAsync(ct);   // past the welcome
                return new WeChatChat(user);
            }
            var chat = await Connect(null);
            var pending = new Queue<string>();

            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                if (line.StartsWith("locale:") || line.StartsWith("date:") || line.StartsWith("channel:")) continue;
                if (line == "restart")
                {
                    Assert.Empty(pending);
                    app.Dispose();
                    app = NewApp();
                    chat = await Connect(chat);
                }
                else if (line.StartsWith("wait:"))
                    clock.Advance(TimeSpan.FromMinutes(int.Parse(line["wait:".Length..].Trim().TrimEnd('m'))));
                else if (line.StartsWith("user:"))
                {
                    Assert.True(pending.Count == 0, $"line {i}: the bot also said: {string.Join(" | ", pending)}");
                    var text = Fill(line["user:".Length..].Trim(), codes, app);
                    foreach (var said in await chat.SayAsync(text, ct)) pending.Enqueue(said);
                }
                else if (line.StartsWith("bot:"))
                {
                    // {last_month}: the month before the clock's, as the bot writes it ("2026年11月").
                    var lastMonth = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).AddMonths(-1);
                    var expected = line["bot:".Length..].Trim()
                        .Replace("{last_month}", $"{lastMonth.Year}年{lastMonth.Month}月");
                    Assert.True(pending.Count > 0,
                        $"line {i}: expected the bot to say “{expected}”, but it said nothing more");
                    var said = pending.Dequeue();
                    Assert.True(said.Contains(expected, StringComparison.Ordinal),
                        $"line {i}: expected “{expected}”, the bot said “{said}”");
                }
                else throw new InvalidDataException(
                    $"{name}: line {i} is not user:, bot:, restart, wait:, date:, channel: or locale:");
            }
            Assert.True(pending.Count == 0, $"the bot also said: {string.Join(" | ", pending)}");
        }
        finally
        {
            app.Dispose();
        }
    }
}
