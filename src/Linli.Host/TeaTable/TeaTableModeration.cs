using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;
using static Linli.TeaTable.TeaTableRules;

namespace Linli.TeaTable;

/// <summary>
/// Moderation by volunteers, staff and admins of the community: hiding posts, locking, pinning, slow mode, mutes,
/// the review queue, closing with a conclusion and timers. Every action goes to the audit trail.
/// </summary>
public sealed class TeaTableModeration(
    TeaTableThreads reading, ITeaPostStore posts, ITeaMuteStore mutes, TeaTableViews views,
    TeaTableDirectory directory, ITicketNumbers tickets, ITeaTableFeed feed, AuditTrail audit, TimeProvider time)
{
    private const int MaxMuteMinutes = 60 * 24 * 30;

    public PostView Hide(ClaimsPrincipal user, int postId, string? reason, bool hide)
    {
        RequireModerator(user);
        reason = Reason(reason);
        var hidden = hide ? new Hidden(views.PublicName(user), reason, time.GetUtcNow()) : null;
        // Unhiding clears the flags: the post has been looked at.
        var changed = reading.UpdatePost(user, postId, post =>
            post with { Hidden = hidden, Flags = hide ? post.Flags : [] });
        audit.Record(user, hide ? "tea.hide" : "tea.unhide", $"post {postId}", reason);
        if (hide) feed.PostRemoved(changed.ThreadId, postId);
        else feed.PostChanged(TeaTableViews.View(changed, null));
        return TeaTableViews.View(changed, user.PersonId());
    }

    public ThreadView Lock(ClaimsPrincipal user, int threadId, string? reason, bool locked)
    {
        RequireModerator(user);
        reason = locked ? Reason(reason) : reason?.Trim();
        var thread = reading.Change(user, threadId,
            t => t with { Locked = locked, LockReason = locked ? reason : null });
        audit.Record(user, locked ? "tea.lock" : "tea.unlock", $"thread {threadId}", reason);
        return views.View(thread, user);
    }

    public ThreadView Pin(ClaimsPrincipal user, int threadId, bool pinned)
    {
        RequireModerator(user);
        var thread = reading.Change(user, threadId, t => t with { Pinned = pinned });
        audit.Record(user, pinned ? "tea.pin" : "tea.unpin", $"thread {threadId}");
        return views.View(thread, user);
    }

    public ThreadView SlowMode(ClaimsPrincipal user, int threadId, int? seconds)
    {
        RequireModerator(user);
        if (seconds is not { } s || s < 0 || s > 3600)
            throw DomainProblem.Bad("tea.slow_mode_range");
        var thread = reading.Change(user, threadId, t => t with { SlowModeSeconds = s });
        audit.Record(user, "tea.slow_mode", $"thread {threadId}", $"{s} s");
        return views.View(thread, user);
    }

    public Mute MutePerson(ClaimsPrincipal user, string? personId, int? minutes, string? reason)
    {
        RequireModerator(user);
        reason = Reason(reason);
        if (minutes is not { } m || m < 1 || m > MaxMuteMinutes)
            throw DomainProblem.Bad("tea.mute_range");
        var community = Community(user);
        if (personId is null || directory.Person(community, personId) is null)
            throw DomainProblem.NotFound("tea.no_such_person");
        var mute = new Mute
        {
            Id = Mute.IdFor(community, personId), Until = time.GetUtcNow().AddMinutes(m), Reason = reason,
            By = user.DisplayName(),
        };
        mutes.Save(community, personId, mute);
        audit.Record(user, "tea.mute", $"person {personId}", $"{m} min: {reason}");
        return mute;
    }

    public void Unmute(ClaimsPrincipal user, string personId)
    {
        RequireModerator(user);
        if (mutes.Delete(Community(user), personId)) audit.Record(user, "tea.unmute", $"person {personId}");
    }

    /// <summary>
    /// The review queue: flagged posts not yet dealt with, and hidden ones (to unhide), newest first.
    /// </summary>
    public List<PostView> ReviewQueue(ClaimsPrincipal user)
    {
        RequireModerator(user);
        return posts.ForReview(Community(user), 200).Select(p => TeaTableViews.View(p, user.PersonId())).ToList();
    }

    public ThreadView Close(ClaimsPrincipal user, int threadId, CloseRequest request)
    {
        if (!IsModerator(user) && !user.Is(Role.Committee))
            throw DomainProblem.Forbidden("tea.moderators_close_threads");
        if (string.IsNullOrWhiteSpace(request.Conclusion) || request.Conclusion.Length > 2000)
            throw DomainProblem.Bad("tea.a_conclusion_is_needed");
        var numbers = (request.Tickets ?? []).Distinct().ToList();
        // The follow-up tickets are the community's own.
        if (numbers.FirstOrDefault(n => !tickets.Exists(Community(user), n)) is { } unknown)
            throw DomainProblem.Bad("tea.no_such_ticket", new { ticket = unknown });
        var conclusion = new Conclusion(request.Conclusion.Trim(), request.FollowUpBy?.Trim(), request.Due, numbers,
            views.PublicName(user), time.GetUtcNow());
        var thread = reading.Change(user, threadId, t => t with
        {
            Closed = true,
            Locked = true,
            LockReason = "closed",
            Conclusion = conclusion,
            CloseAt = null,
        });
        audit.Record(user, "tea.close", $"thread {threadId}", conclusion.Text);
        return views.View(thread, user);
    }

    public ThreadView Schedule(ClaimsPrincipal user, int threadId, DateTimeOffset? closeAt, DateTimeOffset? reopenAt)
    {
        RequireModerator(user);
        var now = time.GetUtcNow();
        if (closeAt < now || reopenAt < now)
            throw DomainProblem.Bad("tea.a_time_in_the_future");
        var thread = reading.Change(user, threadId, t => t with { CloseAt = closeAt, ReopenAt = reopenAt });
        audit.Record(user, "tea.schedule", $"thread {threadId}", $"close {closeAt:u}; reopen {reopenAt:u}");
        return views.View(thread, user);
    }
}
