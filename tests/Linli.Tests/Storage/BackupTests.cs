using System.Net;
using System.Net.Http.Json;
using Linli.Storage.LiteDb;
using Linli.Tests.Support;
using Linli.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Storage;

/// <summary>
/// An estate's backups: taken while Linli runs and writes go on, each one moment of the whole database; put back
/// while it is stopped, the replaced file kept.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] Photo = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];

    [Fact]
    public async Task ABackupTakenWhileTicketsOpenIsOneMomentAndRestoresToIt()
    {
        var path = _dir.File("estate.db");
        LiteBackup.Report backup;
        int before, after;
        using (var db = LinliDatabase.Open(path))
        {
            var tickets = new LiteTicketStore(db);
            foreach (var _ in Enumerable.Range(0, 50)) tickets.Open(Contracts.TicketDrafts.Draft(), "BX-20261102-");
            // A resident's photo, kept in the file's own storage.
            db.FileStorage.Upload("photo-1", "leak.jpg", new MemoryStream(Photo));

            // Writers keep opening tickets (each a transaction of a ticket and its number) while the copy is made.
            using var stop = new CancellationTokenSource();
            var writing = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested) tickets.Open(Contracts.TicketDrafts.Draft(), "BX-20261102-");
            }, Ct);
            await Task.Delay(50, Ct);
            backup = LiteBackup.Write(db, _dir.File("backups/one.db"));
            await stop.CancelAsync();
            await writing;
            after = db.Tickets.Count();
        }

        using (var copy = LinliDatabase.Open(backup.Path))
        {
            // Numbered without a gap up to the moment of the copy: no ticket half-written, none missing.
            var numbers = copy.Tickets.FindAll().Select(t => int.Parse(t.Number[^4..])).Order().ToList();
            before = numbers.Count;
            Assert.Equal(Enumerable.Range(1, before), numbers);
            using var photo = new MemoryStream();
            copy.FileStorage.Download("photo-1", photo);
            Assert.Equal(Photo, photo.ToArray());
        }
        Assert.InRange(before, 50, after - 1);
        Assert.True(backup.Documents >= before);
        using (var other = LinliDatabase.Open(":memory:"))
            Assert.Throws<IOException>(() => LiteBackup.Write(other, backup.Path));   // never over a file

        var restored = LiteBackup.Restore(backup.Path, path, DateTimeOffset.UtcNow);
        Assert.True(restored.Documents >= before);
        using (var db = LinliDatabase.Open(path)) Assert.Equal(before, db.Tickets.Count());
        // What it replaced is kept beside it, whole.
        var kept = Assert.Single(Directory.GetFiles(_dir.Path, "estate.db.before-restore-*"));
        using (var old = LinliDatabase.Open(kept)) Assert.Equal(after, old.Tickets.Count());
    }

    [Fact]
    public void ARestoreRefusesWhileLinliRunsOnTheFile()
    {
        var path = _dir.File("estate.db");
        using var running = LinliDatabase.Open(path);
        var backup = LiteBackup.Write(running, _dir.File("backups/b.db"));

        Assert.Throws<DatabaseInUseException>(() => LiteBackup.Restore(backup.Path, path, DateTimeOffset.UtcNow));
        Assert.Empty(Directory.GetFiles(_dir.Path, "estate.db.before-restore-*"));
    }

    [Fact]
    public async Task AnAdminTakesOneOnDemandAndTheNightlyOnesKeepTheNewest()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 20, 0, 0, TimeSpan.Zero)); // 04:00 in China
        using var app = new LinliAppFactory(new() { ["Storage:BackupsKept"] = "2" }, _dir, time);
        var backups = app.Services.GetRequiredService<LiteBackups>();

        var admin = await StaffClient.SignInAsync(app, "admin");
        var response = await admin.PostAsync("/api/admin/backups", null, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var taken = await response.Content.ReadFromJsonAsync<Linli.Storage.Setup.BackupTaken>(Ct);
        Assert.StartsWith("manual-", taken!.File);
        Assert.True(File.Exists(Path.Combine(backups.Folder!, taken.File)));
        Assert.True(taken.Documents > 1000);
        var manager = await StaffClient.SignInAsync(app, "manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync("/api/admin/backups", null, Ct)).StatusCode);

        Assert.NotNull(backups.TakeNightly());
        Assert.Null(backups.TakeNightly());   // once a day
        foreach (var day in new[] { "20261104", "20261105" })
        {
            // The timer takes each night's copy as the clock passes it (or this call does, if it has not yet).
            time.Advance(TimeSpan.FromDays(1));
            backups.TakeNightly();
            Assert.True(File.Exists(Path.Combine(backups.Folder!, $"nightly-{day}.db")));
        }
        Assert.Equal(new[] { "nightly-20261104.db", "nightly-20261105.db" },
            Directory.GetFiles(backups.Folder!, "nightly-*.db").Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task ASecondAskWhileACopyIsUnderWayIsRefusedAndOnlyTheNewestManualCopiesAreKept()
    {
        using var app = new LinliAppFactory(new() { ["Storage:ManualBackupsKept"] = "2" }, _dir);
        var db = app.Services.GetRequiredService<LinliDatabase>();
        var admin = await StaffClient.SignInAsync(app, "admin");

        // A transaction open: the first copy waits for it (a copy is one moment), and a second ask comes meanwhile.
        using var inTransaction = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holding = Task.Run(() => db.InTransaction(() =>
        {
            inTransaction.Set();
            release.Wait(Ct);
            return 0;
        }), Ct);
        inTransaction.Wait(Ct);
        Task<HttpResponseMessage>[] asks =
            [admin.PostAsync("/api/admin/backups", null, Ct), admin.PostAsync("/api/admin/backups", null, Ct)];
        // One copy waits for the transaction; the other ask is answered at once.
        var refused = await await Task.WhenAny(asks).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        release.Set();
        await holding;

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict],
            (await Task.WhenAll(asks)).Select(r => r.StatusCode).Order());

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/admin/backups", null, Ct)).StatusCode);
        var folder = app.Services.GetRequiredService<LiteBackups>().Folder!;
        Assert.Equal(2, Directory.GetFiles(folder, "manual-*.db").Length);
    }

    [Fact]
    public void TheRestoreCommandPutsABackupInPlaceAndSaysWhatWentWrongPlainly()
    {
        var path = _dir.File("estate.db");
        string backup;
        using (var db = LinliDatabase.Open(path))
        {
            new LiteTicketStore(db).Open(Contracts.TicketDrafts.Draft(), "BX-20261102-");
            backup = LiteBackup.Write(db, _dir.File("backups/b.db")).Path;
            new LiteTicketStore(db).Open(Contracts.TicketDrafts.Draft(), "BX-20261102-");
        }
        var (output, error) = (new StringWriter(), new StringWriter());

        Assert.Null(Linli.Storage.Setup.RestoreCommand.TryRun(["--urls", "http://x"], output, error));
        Assert.Equal(2, Linli.Storage.Setup.RestoreCommand.TryRun(["restore"], output, error));
        Assert.Equal(2, Linli.Storage.Setup.RestoreCommand.TryRun(
            ["restore", "--from", _dir.File("none.db"), "--to", path], output, error));
        Assert.Contains("Linli cannot restore", error.ToString());

        Assert.Equal(0, Linli.Storage.Setup.RestoreCommand.TryRun(
            ["restore", "--from", backup, "--to", path], output, error));
        Assert.Contains("Restored", output.ToString());
        using var restored = LinliDatabase.Open(path);
        Assert.Equal(1, restored.Tickets.Count());
    }
}
