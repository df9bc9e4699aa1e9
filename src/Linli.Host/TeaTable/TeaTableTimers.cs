using Linli.Accounts;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Calendar;
using Linli.Phrases;
using Linli.Hosting;
using Linli.Residents;
using Microsoft.Extensions.Options;

namespace Linli.TeaTable;

/// <summary>
/// The tea table's clock: close and reopen timers, proposals locked at their deadline, one reminder to owners who have
/// not voted, and digests of new posts to followers in their own chat (never one message per post).
/// </summary>
public sealed class TeaTableTimers(
    TeaTableThreads reading, ITeaThreadStore threads, ITeaPostStore posts, ITeaDigestStore digests,
    TeaTableVoting voting, TeaTableTally tally, TeaTableViews views, TeaTableDirectory directory, ITeaTableFeed feed,
    IConversationReferenceStore references, IProactiveMessenger messenger, CommonPhrases phrases, ResidentLinks links,
    IOptions<TeaTableOptions> options, TimeProvider time, ILogger<TeaTableTimers> logger, IClusterLeases leases)
    : PeriodicWork(time, logger, leases)
{
    /// <summary>How many followed threads the digest reads at a time.</summary>
    private const int Batch = 200;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.TimerCheckSeconds);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        RunTimers();
        await RemindAsync(cancellationToken);
        await DigestAsync(cancellationToken);
    }

    /// <summary>
    /// Locks threads whose close time came, opens those whose reopen time came, finalises proposals past their
    /// deadline.
    /// </summary>
    public List<TeaThread> RunTimers()
    {
        var now = Clock.GetUtcNow();
        var changed = new List<TeaThread>();
        foreach (var thread in threads.Due(now))
            if (reading.Update(thread.CommunityId, thread.Id, t => Advance(t, now)) is { } saved)
                changed.Add(saved);
        foreach (var thread in changed) feed.ThreadChanged(views.View(thread, null));
        return changed;
    }

    /// <summary>The thread as its timers leave it at <paramref name="now"/>: itself when none is due.</summary>
    private TeaThread Advance(TeaThread thread, DateTimeOffset now)
    {
        var next = thread;
        if (next.CloseAt <= now) next = next with { Locked = true, LockReason = "timer", CloseAt = null };
        if (next.ReopenAt <= now)
            next = next with { Locked = false, LockReason = null, Closed = false, ReopenAt = null };
        if (next.Proposal is { Final: null } p && p.Deadline <= now)
            next = next with { Proposal = p with { Final = tally.Count(next) } };
        return next;
    }

    /// <summary>
    /// Once per proposal, when the deadline is near: every bound owner of a flat in scope that has not voted.
    /// </summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var window = TimeSpan.FromHours(options.Value.ReminderHoursBeforeDeadline);
        var sent = 0;
        foreach (var thread in threads.ReminderDue(now, window))
        {
            // Marked first, and only by one clock: a second run that finds it marked meanwhile sends nothing.
            var marked = reading.Update(thread.CommunityId, thread.Id, t => t.Proposal is { ReminderSentAt: null } p
                ? t with { Proposal = p with { ReminderSentAt = Clock.GetUtcNow() } }
                : t);
            if (marked is null) continue;
            var deadline = thread.Proposal!.Deadline.InChina().ToString("M/d HH:mm");
            (string, object?)[] args = [("title", thread.Title), ("deadline", deadline)];
            foreach (var owner in voting.Undecided(thread))
                foreach (var binding in directory.Bindings(thread.CommunityId, owner.Id))
                    if (await SayAsync(binding, phrases.TeaVoteReminder, args, thread.Id, cancellationToken))
                        sent++;
            logger.LogInformation("Reminded {Count} owners to vote in thread {Thread}", sent, thread.Id);
        }
        return sent;
    }

    /// <summary>
    /// New posts by others since a follower's last digest, at most one digest per follower and thread per
    /// DigestMinutes.
    /// </summary>
    public async Task<int> DigestAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var sent = 0;
        for (var batch = threads.Followed(0, Batch); batch.Count > 0; batch = threads.Followed(batch[^1].Id, Batch))
            foreach (var thread in batch)
                sent += await DigestAsync(thread, now, cancellationToken);
        return sent;
    }

    private async Task<int> DigestAsync(TeaThread thread, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromMinutes(options.Value.DigestMinutes);
        var community = thread.CommunityId;
        var lastId = posts.Before(community, thread.Id, int.MaxValue, 1).FirstOrDefault()?.Id ?? 0;
        var marks = digests.Marks(community, thread.Id);
        var sent = 0;
        foreach (var follower in thread.Followers)
        {
            if (!marks.TryGetValue(follower, out var mark))
            {
                // From now on.
                digests.Save(community, thread.Id, follower,
                    new DigestMark { Id = DigestMark.IdFor(thread.Id, follower), LastPostId = lastId });
                continue;
            }
            // Nothing posted since (the usual case, every run): no post is read.
            if (mark.LastPostId >= lastId || (mark.SentAt is { } at && now - at < every)) continue;
            var fresh = posts.After(community, thread.Id, mark.LastPostId, int.MaxValue)
                .Where(p => p.AuthorId != follower && p.Hidden is null).ToList();
            if (fresh.Count == 0)
            {
                // Only their own posts, or hidden ones: read once, not again every run.
                digests.Save(community, thread.Id, follower, mark with { LastPostId = lastId });
                continue;
            }
            var latest = fresh[^1];
            var text = latest.Text.Length > 40 ? latest.Text[..40] + "…" : latest.Text;
            var snippet = $"{latest.AuthorName}：{text}";
            var delivered = false;
            foreach (var binding in directory.Bindings(community, follower))
                delivered |= await SayAsync(binding, phrases.TeaDigest,
                    [("title", thread.Title), ("count", fresh.Count), ("latest", snippet)], thread.Id,
                    cancellationToken);
            digests.Save(community, thread.Id, follower,
                mark with { LastPostId = lastId, SentAt = delivered ? now : mark.SentAt });
            if (delivered) sent++;
        }
        return sent;
    }

    private async Task<bool> SayAsync(ResidentBinding binding, Bot.Dialogs.LocalizedText text, (string, object?)[] args,
        int threadId, CancellationToken cancellationToken)
    {
        var (channel, user) = binding.Identity();
        var reference = await references.FindAsync(channel, user, cancellationToken);
        if (reference is null) return false;
        var link = links.Create(binding, $"/tea/{threadId}");
        var said = text.Format(reference.Locale, [.. args, ("link", link)]);
        var activity = new Activity { Text = said, TextFormat = "markdown" };
        await messenger.SendAsync(reference, activity, cancellationToken);
        return true;
    }
}
