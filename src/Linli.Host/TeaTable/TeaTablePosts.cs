using System.Collections.Concurrent;
using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Hosting;
using Linli.Uploads;
using Microsoft.Extensions.Options;
using static Linli.TeaTable.TeaTableRules;

namespace Linli.TeaTable;

/// <summary>
/// Writing at the tea table: starting threads, posting, correcting, reacting, flagging and following. Every check
/// is made here, for the page, the API, the hub and the chat alike.
/// </summary>
public sealed class TeaTablePosts(
    TeaTableThreads reading, ITeaThreadStore threads, ITeaPostStore posts, ITeaMuteStore mutes, TeaTableViews views,
    TeaTableDirectory directory, ITeaTableFeed feed, UploadStore uploads, IOptions<TeaTableOptions> options,
    TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _recentPosts = new();
    private TeaTableOptions Options => options.Value;

    public (TeaThread Thread, Post First) CreateThread(ClaimsPrincipal user, string? title, string? text, int? building)
    {
        var community = Community(user);
        title = title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > Options.MaxTitleLength)
            throw DomainProblem.Bad("tea.a_title_is_needed", new { maxTitleLength = Options.MaxTitleLength });
        CheckText(text);
        if (building is { } b && !directory.BuildingExists(community, b))
            throw DomainProblem.Bad("tea.no_such_building", new { building = b });
        CheckMuted(user);
        CheckFlood(user);
        var now = time.GetUtcNow();
        var author = user.PersonId()!;
        var thread = new TeaThread
        {
            CommunityId = community, Building = building, Title = title, AuthorId = author,
            AuthorName = views.PublicName(user), CreatedAt = now, LastPostAt = now, PostCount = 1, Followers = [author],
        };
        // The thread and its opening post land together or not at all.
        var (created, first) = threads.Create(thread, NewPost(user, thread, text!, null, []));
        feed.ThreadChanged(views.View(created, null));
        TellMentioned(created, first);
        return (created, first);
    }

    public PostView AddPost(ClaimsPrincipal user, int threadId, string? text, int? replyTo, string[]? attachments)
    {
        var thread = reading.Thread(user, threadId);
        CheckText(text);
        if (thread.Closed)
            throw DomainProblem.Conflict("tea.this_discussion_is_closed");
        if (thread.Locked)
            throw DomainProblem.Conflict("tea.this_thread_is_locked", new { lockReason = thread.LockReason });
        CheckMuted(user);
        CheckSlowMode(user, thread);
        CheckFlood(user);
        if (replyTo is { } r && posts.Find(thread.CommunityId, r)?.ThreadId != threadId)
            throw DomainProblem.Bad("tea.no_post_to_reply", new { post = r });
        var files = Attachments(attachments, user.PersonId()!);
        // The post and the thread's count land together or not at all.
        var (post, counted) = posts.Add(NewPost(user, thread, text!, replyTo, files));
        feed.PostAdded(TeaTableViews.View(post, null));
        feed.ThreadCounted(views.View(counted, null));
        TellMentioned(counted, post);
        return TeaTableViews.View(post, user.PersonId());
    }

    public PostView Edit(ClaimsPrincipal user, int postId, string? text)
    {
        var changed = reading.UpdatePost(user, postId, post =>
        {
            if (post.AuthorId != user.PersonId())
                throw DomainProblem.Forbidden("tea.not_your_post");
            if (time.GetUtcNow() - post.CreatedAt > TimeSpan.FromMinutes(Options.EditMinutes))
                throw DomainProblem.Conflict("tea.too_late_to_edit", new { editMinutes = Options.EditMinutes });
            if (post.Hidden is not null) throw DomainProblem.Conflict("tea.hidden");
            CheckText(text);
            return post with { Text = text!, Html = PostRenderer.Render(text!), EditedAt = time.GetUtcNow() };
        });
        feed.PostChanged(TeaTableViews.View(changed, null));
        return TeaTableViews.View(changed, user.PersonId());
    }

    public PostView React(ClaimsPrincipal user, int postId, string? emoji)
    {
        if (emoji is null || !Emoji.Contains(emoji))
            throw DomainProblem.Bad("tea.unknown_reaction", new { emoji = string.Join(" ", Emoji) });
        var who = user.PersonId()!;
        var changed = reading.UpdatePost(user, postId, post =>
        {
            var reactions = post.Reactions.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
            var list = reactions.TryGetValue(emoji, out var l) ? l : reactions[emoji] = [];
            if (!list.Remove(who)) list.Add(who);
            if (list.Count == 0) reactions.Remove(emoji);
            return post with { Reactions = reactions };
        });
        if (changed.Hidden is null) feed.PostChanged(TeaTableViews.View(changed, null));
        return TeaTableViews.View(changed, user.PersonId());
    }

    public void Flag(ClaimsPrincipal user, int postId, string? reason)
    {
        reason = Reason(reason);
        var who = user.PersonId()!;
        reading.UpdatePost(user, postId, post => post.Flags.Any(f => f.By == who)
            ? post
            : post with { Flags = [.. post.Flags, new Flag(who, reason, time.GetUtcNow())] });
    }

    public void Follow(ClaimsPrincipal user, int threadId, bool follow)
    {
        var who = user.PersonId()!;
        reading.Update(Community(user), threadId, thread => follow == thread.Followers.Contains(who)
            ? thread
            : thread with
            {
                Followers = follow ? [.. thread.Followers, who] : thread.Followers.Where(f => f != who).ToList(),
            });
    }

    /// <summary>
    /// A post's images are uploads its author made, named by id (or by the URL the upload answered with); anything
    /// else (another person's image, a path, a link elsewhere) is dropped. At most nine.
    /// </summary>
    private List<string> Attachments(string[]? given, string author) =>
        (given ?? []).Select(a => TeaTableViews.UploadId(a) ?? a)
            .Where(id => UploadStore.IsId(id) && uploads.IsOwnedBy(UploadStore.TeaFolder, id, author))
            .Distinct().Take(9).ToList();

    private Post NewPost(ClaimsPrincipal user, TeaThread thread, string text, int? replyTo, List<string> attachments)
    {
        var names = PostRenderer.MentionedNames(text).ToList();
        var staff = names.Count == 0 ? [] : directory.Staff(thread.CommunityId);
        var mentions = names.SelectMany(n => staff.Where(s => s.Name == n || s.Title == n))
            .Select(s => s.Id).Distinct().ToList();
        return new Post
        {
            ThreadId = thread.Id, CommunityId = thread.CommunityId, AuthorId = user.PersonId()!,
            AuthorName = views.PublicName(user), Text = text, Html = PostRenderer.Render(text), ReplyTo = replyTo,
            Attachments = attachments, Mentions = mentions, CreatedAt = time.GetUtcNow(),
        };
    }

    private void TellMentioned(TeaThread thread, Post post)
    {
        var snippet = post.Text.Length > 60 ? post.Text[..60] + "…" : post.Text;
        foreach (var person in post.Mentions)
        {
            var mention = new MentionView(person, thread.Id, thread.Title, post.Id, post.AuthorName, snippet);
            feed.Mentioned(thread.CommunityId, mention);
        }
    }

    private void CheckMuted(ClaimsPrincipal user)
    {
        if (mutes.Find(Community(user), user.PersonId()!) is not { } mute || mute.Until <= time.GetUtcNow()) return;
        var until = mute.Until.InChina();
        throw DomainProblem.Forbidden("tea.you_are_muted", new { until, reason = mute.Reason });
    }

    /// <summary>In slow mode, one post per person per so many seconds in the thread.</summary>
    private void CheckSlowMode(ClaimsPrincipal user, TeaThread thread)
    {
        if (thread.SlowModeSeconds <= 0) return;
        if (posts.LatestBy(thread.CommunityId, thread.Id, user.PersonId()!) is not { } last) return;
        var wait = TimeSpan.FromSeconds(thread.SlowModeSeconds) - (time.GetUtcNow() - last.CreatedAt);
        if (wait <= TimeSpan.Zero) return;
        throw new DomainProblem(429, "tea.slow_mode",
            new { seconds = thread.SlowModeSeconds, wait = Math.Ceiling(wait.TotalSeconds) });
    }

    private void CheckFlood(ClaimsPrincipal user)
    {
        var now = time.GetUtcNow();
        var recent = _recentPosts.GetOrAdd(user.PersonId()!, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            while (recent.Count > 0 && now - recent.Peek() > TimeSpan.FromMinutes(1)) recent.Dequeue();
            if (recent.Count >= Options.MaxPostsPerMinute)
                throw new DomainProblem(429, "tea.too_many_posts", new { Options.MaxPostsPerMinute });
            recent.Enqueue(now);
        }
    }

    private void CheckText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > Options.MaxPostLength)
            throw DomainProblem.Bad("tea.post_length");
    }
}
