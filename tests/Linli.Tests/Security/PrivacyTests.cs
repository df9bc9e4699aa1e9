using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Security;

/// <summary>What is kept, for how long, and what a resident can take away or have deleted.</summary>
public sealed class PrivacyTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LinliAppFactory _app;

    // A day's retention, so the test moves the clock a day rather than half a year of every timer's ticks.
    public PrivacyTests() => _app = new LinliAppFactory(new() { ["Transcripts:RetentionDays"] = "1" }, time: _clock);

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();

    private async Task<(ResidentChat Chat, string Number)> ReportLeakWithAPhotoAsync()
    {
        var chat = await ResidentChat.StartAsync(_app);
        chat.BindTo(_app.Services, "3栋502");
        await chat.SayAsync("我家卫生间漏水了，手机 13800138000");
        var said = string.Join("\n", await chat.SayAsync("对"));
        var number = System.Text.RegularExpressions.Regex.Match(said, @"BX-\d{8}-\d{4}").Value;
        await chat.UploadPhotosAsync("leak.png");
        return (chat, number);
    }

    [Fact]
    public async Task RetentionForgetsOldChatsTheirRawActivitiesAndPhotosButNotAnOpenTicketsPhoto()
    {
        var (old, number) = await ReportLeakWithAPhotoAsync();
        Assert.NotEmpty(number);
        var stray = await ResidentChat.StartAsync(_app);
        await stray.SayAsync("你好，我的手机是 13900139000");
        await stray.UploadPhotosAsync("x.png");
        Assert.True(Db.FileStorage.FindAll().Count() >= 2);

        _clock.Advance(TimeSpan.FromHours(25));
        var recent = await ResidentChat.StartAsync(_app);
        await recent.SayAsync("你好");

        // The hourly run may already have done it as the clock moved; running again finds nothing more.
        _app.Services.GetRequiredService<Linli.Privacy.Retention>().RunNow();
        Assert.Empty(Db.DirectLineActivities.Find(
            a => a.ConversationId == old.ConversationId || a.ConversationId == stray.ConversationId));
        Assert.NotEmpty(Db.DirectLineActivities.Find(a => a.ConversationId == recent.ConversationId));
        Assert.Empty(LiteTranscriptStore.LinesOf(Db, "directline|" + stray.ConversationId));
        // The open ticket's photo stays with the ticket; the stray one is gone.
        var ticketPhotos = Db.Tickets.FindOne(t => t.Number == number).Attachments;
        Assert.All(ticketPhotos, url => Assert.NotNull(Db.FileStorage.FindById(url[(url.LastIndexOf('/') + 1)..])));
        Assert.NotEmpty(ticketPhotos);
        Assert.Equal(ticketPhotos.Count, Db.FileStorage.FindAll().Count());
    }

    [Fact]
    public async Task RetentionForgetsTakenMessageKeysAfterTwoDays()
    {
        var processed = _app.Services.GetRequiredService<Linli.Channels.IProcessedActivities>();
        var retention = _app.Services.GetRequiredService<Linli.Privacy.Retention>();
        Assert.True(await processed.FirstTimeAsync("wechat|o1|old", _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await processed.FirstTimeAsync("wechat|o1|new", _clock.GetUtcNow()));

        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        retention.RunNow();

        // The hourly run may have done it as the clock moved: either way the old key is gone, the new one kept.
        Assert.True(await processed.FirstTimeAsync("wechat|o1|old", _clock.GetUtcNow()));
        Assert.False(await processed.FirstTimeAsync("wechat|o1|new", _clock.GetUtcNow()));
        // Whichever run forgot the key logged it; the hourly one may still be on its way to the log.
        static bool Forgot(string m) =>
            m.StartsWith("Retention: forgot ") && m.EndsWith("keys of channel messages taken over 2 days ago");
        for (var i = 0; i < 50 && !_app.Logs.AtLeast(LogLevel.Information).Any(Forgot); i++) await Task.Delay(100, Ct);
        Assert.Contains(_app.Logs.AtLeast(LogLevel.Information), Forgot);
    }

    [Fact]
    public async Task AResidentGetsACopyOfTheirDataAndCanDeleteTheirConversations()
    {
        var (chat, number) = await ReportLeakWithAPhotoAsync();
        var resident = await ResidentWeb.SignInAsync(_app, "3栋502");

        var export = await resident.GetAsync("/api/me/data", Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var disposition = export.Content.Headers.ContentDisposition?.ToString()
            ?? export.Headers.GetValues("Content-Disposition").Single();
        Assert.Contains("attachment", disposition);
        var data = await export.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(data.GetProperty("tickets").EnumerateArray(),
            t => t.GetProperty("number").GetString() == number);
        var said = data.GetProperty("conversations").EnumerateArray()
            .Select(s => s.GetProperty("text").GetString()).ToList();
        Assert.Contains("我家卫生间漏水了，手机 138****8000", said);

        var erased = await resident.DeleteAsync("/api/me/conversations", Ct);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Empty(LiteTranscriptStore.LinesOf(Db, "directline|" + chat.ConversationId));
        Assert.Empty(Db.DirectLineActivities.Find(a => a.ConversationId == chat.ConversationId));
        Assert.NotNull(Db.Tickets.FindOne(t => t.Number == number));   // the office's record of the work stays
        var actions = Db.AuditLog.FindAll().Select(e => e.Action).ToList();
        Assert.Contains("privacy.export", actions);
        Assert.Contains("privacy.erase_conversations", actions);

        var staff = await StaffClient.SignInAsync(_app, "service");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/me/data", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/api/me/data", Ct)).StatusCode);
    }
}
