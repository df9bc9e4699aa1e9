using Linli.Accounts;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Chat;
using Linli.Hosting;
using Linli.Residents;
using Linli.Storage;
using Linli.Tickets;
using Microsoft.Extensions.Options;

namespace Linli.TeaTable;

/// <summary>
/// The tea table's clock: close and reopen timers, proposals locked at their deadline, one reminder to owners who have
/// not voted, and digests of new posts to followers in their own chat (never one message per post).
/// </summary>
public sealed class TeaTableTimers(TeaTableService tea, LinliDatabase db, IConversationReferenceStore references, IProactiveMessenger messenger,
    CommonPhrases phrases, ResidentLinks links, IOptions<TeaTableOptions> options, TimeProvider time, ILogger<TeaTableTimers> logger)
    : PeriodicWork(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.TimerCheckSeconds);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        tea.RunTimers();
        await RemindAsync(cancellationToken);
        await DigestAsync(cancellationToken);
    }

    /// <summary>Once per proposal, when the deadline is near: every bound owner of a flat in scope that has not voted.</summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var window = TimeSpan.FromHours(options.Value.ReminderHoursBeforeDeadline);
        var sent = 0;
        foreach (var thread in db.TeaThreads.FindAll().Where(t => t.Proposal is { Final: null, ReminderSentAt: null } p && p.Deadline > now && p.Deadline - now <= window).ToList())
        {
            tea.MarkReminded(thread.Id);
            foreach (var owner in tea.Undecided(thread))
            foreach (var binding in db.ResidentBindings.Find(b => b.PersonId == owner.Id))
            {
                var deadline = thread.Proposal!.Deadline.ToOffset(TimeSpan.FromHours(8)).ToString("M/d HH:mm");
                if (await SayAsync(binding, phrases.TeaVoteReminder, [thread.Title, deadline], thread.Id, cancellationToken)) sent++;
            }
            logger.LogInformation("Reminded {Count} owners to vote in thread {Thread}", sent, thread.Id);
        }
        return sent;
    }

    /// <summary>New posts by others since a follower's last digest, at most one digest per follower and thread per DigestMinutes.</summary>
    public async Task<int> DigestAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var every = TimeSpan.FromMinutes(options.Value.DigestMinutes);
        var sent = 0;
        foreach (var thread in db.TeaThreads.FindAll().Where(t => t.Followers.Count > 0).ToList())
        {
            var lastId = db.TeaPosts.Query().Where(p => p.ThreadId == thread.Id).OrderByDescending(p => p.Id).Select(p => p.Id).FirstOrDefault();
            foreach (var follower in thread.Followers)
            {
                var key = $"{thread.Id}|{follower}";
                if (db.TeaDigests.FindById(key) is not { } mark)
                {
                    db.TeaDigests.Upsert(new DigestMark { Id = key, LastPostId = lastId });   // from now on
                    continue;
                }
                if (mark.SentAt is { } at && now - at < every) continue;
                var fresh = db.TeaPosts.Query().Where(p => p.ThreadId == thread.Id && p.Id > mark.LastPostId).OrderBy(p => p.Id).ToList()
                    .Where(p => p.AuthorId != follower && p.Hidden is null).ToList();
                if (fresh.Count == 0) continue;
                var latest = fresh[^1];
                var snippet = $"{latest.AuthorName}：{(latest.Text.Length > 40 ? latest.Text[..40] + "…" : latest.Text)}";
                var delivered = false;
                foreach (var binding in db.ResidentBindings.Find(b => b.PersonId == follower))
                    delivered |= await SayAsync(binding, phrases.TeaDigest, [thread.Title, fresh.Count, snippet], thread.Id, cancellationToken);
                db.TeaDigests.Upsert(mark with { LastPostId = lastId, SentAt = delivered ? now : mark.SentAt });
                if (delivered) sent++;
            }
        }
        return sent;
    }

    private async Task<bool> SayAsync(ResidentBinding binding, Bot.Dialogs.LocalizedText text, object[] args, int threadId, CancellationToken cancellationToken)
    {
        var (channel, user) = binding.Identity();
        var reference = await references.FindAsync(channel, user, cancellationToken);
        if (reference is null) return false;
        var link = links.Create(binding, $"/tea/{threadId}");
        await messenger.SendAsync(reference, new Activity { Text = text.Format(reference.Locale, [.. args, link]), TextFormat = "markdown" }, cancellationToken);
        return true;
    }
}
