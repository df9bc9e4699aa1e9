using System.Collections.Concurrent;
using System.Security.Claims;
using Linli.Accounts;
using Linli.People;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.TeaTable;

public sealed class TeaTableOptions
{
    public const string SectionName = "TeaTable";
    /// <summary>Against floods: at most this many posts per person per minute, whatever the thread.</summary>
    public int MaxPostsPerMinute { get; set; } = 6;
    public int MaxPostLength { get; set; } = 5000;
    public int MaxTitleLength { get; set; } = 60;
    /// <summary>An author may correct a post for this long.</summary>
    public int EditMinutes { get; set; } = 15;
    public int PageSize { get; set; } = 50;
    /// <summary>Followers get at most one digest of new posts per this many minutes.</summary>
    public int DigestMinutes { get; set; } = 60;
    /// <summary>Owners who have not voted are reminded once, this many hours before the deadline.</summary>
    public int ReminderHoursBeforeDeadline { get; set; } = 24;
    public int TimerCheckSeconds { get; set; } = 30;
}

/// <summary>A refusal that becomes a problem+json answer (and a polite sentence in the page).</summary>
public sealed class TeaTableException(int status, string title, string detail) : Exception(detail)
{
    public int Status => status;
    public string Title => title;
}

/// <summary>What live viewers of a thread are told.</summary>
public interface ITeaTableFeed
{
    void PostAdded(PostView post);
    void PostChanged(PostView post);
    void PostRemoved(int threadId, int postId);
    void ThreadChanged(ThreadView thread);
    /// <summary>Tell the consoles of the staff a post names.</summary>
    void Mentioned(string communityId, MentionView mention);
}

/// <summary>
/// The tea table (茶桌议事): threads and posts of a community, reactions, flags and moderation by volunteers, proposals
/// with owner votes counted as Civil Code art. 278 says, and conclusions that staff follow up with tickets.
/// Every check is made here, for the page, the API, the hub and the chat alike.
/// </summary>
public sealed class TeaTableService(LinliDatabase db, TimeProvider time, ITeaTableFeed feed, AuditTrail audit, IOptions<TeaTableOptions> options,
    Uploads.UploadStore uploads)
{
    public static readonly string[] Emoji = ["👍", "❤️", "😂", "😮", "🙏", "👎"];
    private static readonly Role[] ModeratorRoles = [Role.Volunteer, Role.Staff, Role.Admin];
    private readonly Lock _writes = new();
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _recentPosts = new();
    private TeaTableOptions Options => options.Value;

    public static bool IsModerator(ClaimsPrincipal user) => ModeratorRoles.Any(user.Is);

    /// <summary>Who may see how each owner voted: the residents' committee (and the community's admin).</summary>
    public static bool SeesVotes(ClaimsPrincipal user) => user.Is(Role.Committee) || user.Is(Role.Admin);

    // ---- reading ----

    public List<ThreadView> Threads(ClaimsPrincipal user, int? building, int skip, int take)
    {
        var community = Community(user);
        return db.TeaThreads.Find(t => t.CommunityId == community)
            .Where(t => building is null || t.Building is null || t.Building == building)
            .OrderByDescending(t => t.Pinned).ThenBy(t => t.Closed).ThenByDescending(t => t.LastPostAt)
            .Skip(skip).Take(take).Select(t => View(t, user)).ToList();
    }

    public TeaThread Thread(ClaimsPrincipal user, int threadId) =>
        db.TeaThreads.FindById(threadId) is { } t && t.CommunityId == Community(user)
            ? t
            : throw new TeaTableException(404, "Thread not found", $"No thread {threadId} in your community.");

    /// <summary>Posts after <paramref name="after"/> (catching up) or the latest page before <paramref name="before"/>, oldest first.</summary>
    public ThreadPage Page(ClaimsPrincipal user, int threadId, int? after, int? before, int? take)
    {
        var thread = Thread(user, threadId);
        var size = Math.Clamp(take ?? Options.PageSize, 1, 200);
        var moderator = IsModerator(user);
        var query = db.TeaPosts.Query().Where(p => p.ThreadId == threadId);
        List<Post> posts;
        bool more;
        if (after is { } a)
        {
            posts = query.Where(p => p.Id > a).OrderBy(p => p.Id).Limit(size + 1).ToList();
            more = posts.Count > size;
            posts = posts.Take(size).ToList();
        }
        else
        {
            var b = before ?? int.MaxValue;
            posts = query.Where(p => p.Id < b).OrderByDescending(p => p.Id).Limit(size + 1).ToList();
            more = posts.Count > size;
            posts = posts.Take(size).Reverse().ToList();
        }
        return new ThreadPage(View(thread, user), posts.Where(p => p.Hidden is null || moderator).Select(p => View(p, user.PersonId())).ToArray(), more);
    }

    // ---- writing ----

    public (TeaThread Thread, Post First) CreateThread(ClaimsPrincipal user, string? title, string? text, int? building)
    {
        var community = Community(user);
        title = title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > Options.MaxTitleLength)
            throw Bad("A title is needed", $"Give the thread a title of at most {Options.MaxTitleLength} characters.");
        CheckText(text);
        if (building is { } b && !db.Buildings.Exists(x => x.CommunityId == community && x.Number == b))
            throw Bad("No such building", $"There is no building {b} in your community.");
        CheckMuted(user);
        CheckFlood(user);
        var now = time.GetUtcNow();
        TeaThread thread;
        Post first;
        lock (_writes)
        {
            thread = new TeaThread
            {
                CommunityId = community, Building = building, Title = title, AuthorId = user.PersonId()!, AuthorName = PublicName(user),
                CreatedAt = now, LastPostAt = now, PostCount = 1, Followers = [user.PersonId()!],
            };
            // The thread and its opening post land together or not at all.
            (thread, first) = db.InTransaction(() =>
            {
                var created = thread with { Id = db.TeaThreads.Insert(thread).AsInt32 };
                var opening = NewPost(user, created, text!, null, []);
                return (created, opening with { Id = db.TeaPosts.Insert(opening).AsInt32 });
            });
        }
        feed.ThreadChanged(View(thread, null));
        TellMentioned(thread, first);
        return (thread, first);
    }

    public PostView AddPost(ClaimsPrincipal user, int threadId, string? text, int? replyTo, string[]? attachments)
    {
        var thread = Thread(user, threadId);
        CheckText(text);
        if (thread.Closed) throw new TeaTableException(409, "This discussion is closed", "It has a conclusion; start a new thread to talk further.");
        if (thread.Locked) throw new TeaTableException(409, "This thread is locked", $"A moderator locked it: {thread.LockReason}");
        CheckMuted(user);
        var now = time.GetUtcNow();
        var author = user.PersonId()!;
        if (thread.SlowModeSeconds > 0 && db.TeaPosts.Query().Where(p => p.ThreadId == threadId && p.AuthorId == author)
                .OrderByDescending(p => p.Id).FirstOrDefault() is { } last && now - last.CreatedAt < TimeSpan.FromSeconds(thread.SlowModeSeconds))
            throw new TeaTableException(429, "Slow mode", $"One post every {thread.SlowModeSeconds} seconds in this thread; please wait {Math.Ceiling((TimeSpan.FromSeconds(thread.SlowModeSeconds) - (now - last.CreatedAt)).TotalSeconds)} s.");
        CheckFlood(user);
        if (replyTo is { } r && db.TeaPosts.FindById(r)?.ThreadId != threadId) throw Bad("No such post to reply to", $"Post {r} is not in this thread.");
        var files = Attachments(attachments, author);
        Post post;
        lock (_writes)
        {
            // The post and the thread's count land together or not at all.
            (post, thread) = db.InTransaction(() =>
            {
                var added = NewPost(user, thread, text!, replyTo, files);
                added = added with { Id = db.TeaPosts.Insert(added).AsInt32 };
                var current = db.TeaThreads.FindById(threadId)!;
                return (added, Save(current with { LastPostAt = now, PostCount = current.PostCount + 1 }));
            });
        }
        var view = View(post, null);
        feed.PostAdded(view);
        feed.ThreadChanged(View(thread, null));
        TellMentioned(thread, post);
        return View(post, user.PersonId());
    }

    public PostView Edit(ClaimsPrincipal user, int postId, string? text)
    {
        var post = OwnPost(user, postId);
        if (post.AuthorId != user.PersonId()) throw new TeaTableException(403, "Not your post", "Only its author can change a post.");
        if (time.GetUtcNow() - post.CreatedAt > TimeSpan.FromMinutes(Options.EditMinutes))
            throw new TeaTableException(409, "Too late to edit", $"Posts can be corrected for {Options.EditMinutes} minutes; write a new one.");
        if (post.Hidden is not null) throw new TeaTableException(409, "Hidden", "A hidden post cannot be edited.");
        CheckText(text);
        var changed = post with { Text = text!, Html = PostRenderer.Render(text!), EditedAt = time.GetUtcNow() };
        db.TeaPosts.Update(changed);
        feed.PostChanged(View(changed, null));
        return View(changed, user.PersonId());
    }

    public PostView React(ClaimsPrincipal user, int postId, string? emoji)
    {
        if (emoji is null || !Emoji.Contains(emoji)) throw Bad("Unknown reaction", $"React with one of {string.Join(" ", Emoji)}.");
        Post changed;
        lock (_writes)
        {
            var post = OwnPost(user, postId);
            var who = user.PersonId()!;
            var reactions = post.Reactions.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
            var list = reactions.TryGetValue(emoji, out var l) ? l : reactions[emoji] = [];
            if (!list.Remove(who)) list.Add(who);
            if (list.Count == 0) reactions.Remove(emoji);
            changed = post with { Reactions = reactions };
            db.TeaPosts.Update(changed);
        }
        if (changed.Hidden is null) feed.PostChanged(View(changed, null));
        return View(changed, user.PersonId());
    }

    public void Flag(ClaimsPrincipal user, int postId, string? reason)
    {
        reason = Reason(reason);
        lock (_writes)
        {
            var post = OwnPost(user, postId);
            if (post.Flags.Any(f => f.By == user.PersonId())) return;
            db.TeaPosts.Update(post with { Flags = [.. post.Flags, new Flag(user.PersonId()!, reason, time.GetUtcNow())] });
        }
    }

    public void Follow(ClaimsPrincipal user, int threadId, bool follow)
    {
        lock (_writes)
        {
            var thread = Thread(user, threadId);
            var who = user.PersonId()!;
            if (follow == thread.Followers.Contains(who)) return;
            db.TeaThreads.Update(thread with { Followers = follow ? [.. thread.Followers, who] : thread.Followers.Where(f => f != who).ToList() });
        }
    }

    // ---- moderation ----

    public PostView Hide(ClaimsPrincipal user, int postId, string? reason, bool hide)
    {
        Moderator(user);
        reason = Reason(reason);
        Post changed;
        lock (_writes)
        {
            var post = OwnPost(user, postId);
            changed = post with { Hidden = hide ? new Hidden(PublicName(user), reason, time.GetUtcNow()) : null, Flags = hide ? post.Flags : [] };
            db.TeaPosts.Update(changed);
        }
        audit.Record(user, hide ? "tea.hide" : "tea.unhide", $"post {postId}", reason);
        if (hide) feed.PostRemoved(changed.ThreadId, postId);
        else feed.PostChanged(View(changed, null));
        return View(changed, user.PersonId());
    }

    public ThreadView Lock(ClaimsPrincipal user, int threadId, string? reason, bool locked)
    {
        Moderator(user);
        reason = locked ? Reason(reason) : reason?.Trim();
        var thread = Change(user, threadId, t => t with { Locked = locked, LockReason = locked ? reason : null });
        audit.Record(user, locked ? "tea.lock" : "tea.unlock", $"thread {threadId}", reason);
        return View(thread, user);
    }

    public ThreadView Pin(ClaimsPrincipal user, int threadId, bool pinned)
    {
        Moderator(user);
        var thread = Change(user, threadId, t => t with { Pinned = pinned });
        audit.Record(user, pinned ? "tea.pin" : "tea.unpin", $"thread {threadId}");
        return View(thread, user);
    }

    public ThreadView SlowMode(ClaimsPrincipal user, int threadId, int? seconds)
    {
        Moderator(user);
        if (seconds is not { } s || s < 0 || s > 3600) throw Bad("Slow mode of 0 to 3,600 seconds", "0 turns slow mode off.");
        var thread = Change(user, threadId, t => t with { SlowModeSeconds = s });
        audit.Record(user, "tea.slow_mode", $"thread {threadId}", $"{s} s");
        return View(thread, user);
    }

    public Mute MutePerson(ClaimsPrincipal user, string? personId, int? minutes, string? reason)
    {
        Moderator(user);
        reason = Reason(reason);
        if (minutes is not { } m || m < 1 || m > 60 * 24 * 30) throw Bad("Mute for 1 minute to 30 days", "Say how many minutes.");
        var community = Community(user);
        if (personId is null || db.People.FindById(personId) is not { } person || person.CommunityId != community)
            throw new TeaTableException(404, "No such person", "Nobody with that id lives in your community.");
        var mute = new Mute { Id = $"{community}|{personId}", Until = time.GetUtcNow().AddMinutes(m), Reason = reason, By = user.DisplayName() };
        db.TeaMutes.Upsert(mute);
        audit.Record(user, "tea.mute", $"person {personId}", $"{m} min: {reason}");
        return mute;
    }

    public void Unmute(ClaimsPrincipal user, string personId)
    {
        Moderator(user);
        if (db.TeaMutes.Delete($"{Community(user)}|{personId}")) audit.Record(user, "tea.unmute", $"person {personId}");
    }

    /// <summary>The review queue: flagged posts not yet dealt with, and hidden ones (to unhide), newest first.</summary>
    public List<PostView> ReviewQueue(ClaimsPrincipal user)
    {
        Moderator(user);
        var community = Community(user);
        return db.TeaPosts.Find(p => p.CommunityId == community).Where(p => p.Flags.Count > 0 || p.Hidden is not null)
            .OrderByDescending(p => p.Id).Take(200).Select(p => View(p, user.PersonId())).ToList();
    }

    public ThreadView Close(ClaimsPrincipal user, int threadId, CloseRequest request)
    {
        if (!IsModerator(user) && !user.Is(Role.Committee)) throw new TeaTableException(403, "Moderators close threads", "Ask a volunteer, the committee or staff.");
        if (string.IsNullOrWhiteSpace(request.Conclusion) || request.Conclusion.Length > 2000)
            throw Bad("A conclusion is needed", "Write what was decided (at most 2,000 characters).");
        var tickets = (request.Tickets ?? []).Distinct().ToList();
        foreach (var number in tickets)
            if (db.Tickets.FindOne(t => t.Number == number) is not { } ticket || ticket.CommunityId != Community(user))
                throw Bad("No such ticket", $"Ticket {number} is not one of your community's.");
        var conclusion = new Conclusion(request.Conclusion.Trim(), request.FollowUpBy?.Trim(), request.Due, tickets, PublicName(user), time.GetUtcNow());
        var thread = Change(user, threadId, t => t with { Closed = true, Locked = true, LockReason = "closed", Conclusion = conclusion, CloseAt = null });
        audit.Record(user, "tea.close", $"thread {threadId}", conclusion.Text);
        return View(thread, user);
    }

    public ThreadView Schedule(ClaimsPrincipal user, int threadId, DateTimeOffset? closeAt, DateTimeOffset? reopenAt)
    {
        Moderator(user);
        var now = time.GetUtcNow();
        if (closeAt < now || reopenAt < now) throw Bad("A time in the future", "Timers close or reopen a thread later, not in the past.");
        var thread = Change(user, threadId, t => t with { CloseAt = closeAt, ReopenAt = reopenAt });
        audit.Record(user, "tea.schedule", $"thread {threadId}", $"close {closeAt:u}; reopen {reopenAt:u}");
        return View(thread, user);
    }

    // ---- proposals and votes ----

    public ThreadView Propose(ClaimsPrincipal user, int threadId, ProposalRequest request)
    {
        var thread = Thread(user, threadId);
        if (thread.AuthorId != user.PersonId() && !IsModerator(user) && !user.Is(Role.Committee))
            throw new TeaTableException(403, "Not your thread", "The thread's author, the committee or a moderator puts a proposal.");
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > 2000) throw Bad("A proposal text is needed", "Say what owners decide (at most 2,000 characters).");
        if (!Enum.TryParse<Matter>(request.Matter, ignoreCase: true, out var matter) || int.TryParse(request.Matter, out _))
            throw Bad("Unknown matter", $"matter is one of {string.Join(", ", Enum.GetNames<Matter>())}.");
        if (request.Deadline is not { } deadline || deadline <= time.GetUtcNow().AddHours(1))
            throw Bad("A deadline is needed", "Give a deadline at least an hour from now.");
        if (db.TeaVotes.Exists(v => v.ThreadId == threadId)) throw new TeaTableException(409, "Votes were cast", "A proposal cannot change once owners have voted.");
        var proposal = new Proposal { Text = request.Text.Trim(), Matter = matter, Deadline = deadline, By = PublicName(user) };
        var changed = Change(user, threadId, t => t with { Proposal = proposal });
        audit.Record(user, "tea.propose", $"thread {threadId}", $"{matter}: {proposal.Text}");
        return View(changed, user);
    }

    /// <summary>
    /// An owner's vote, for every unit in scope they own or co-own, whichever flat they signed in for (the last co-owner to
    /// vote speaks for a unit).
    /// </summary>
    public ThreadView Vote(ClaimsPrincipal user, int threadId, string? stance, string? reason)
    {
        var thread = Thread(user, threadId);
        if (thread.Proposal is not { } proposal) throw new TeaTableException(409, "Nothing to vote on", "This thread has no proposal.");
        if (time.GetUtcNow() >= proposal.Deadline || proposal.Final is not null) throw new TeaTableException(409, "Voting has closed", $"The deadline was {proposal.Deadline:u}.");
        if (!Enum.TryParse<Stance>(stance, ignoreCase: true, out var s) || int.TryParse(stance, out _))
            throw Bad("Unknown stance", "stance is agree, disagree or abstain.");
        if (reason is { Length: > 500 }) throw Bad("Reason too long", "At most 500 characters.");
        var units = OwnedUnits(user, thread);
        if (units.Count == 0) throw new TeaTableException(403, "Only owners vote", "Voting is for verified owners of a flat this proposal concerns.");
        var now = time.GetUtcNow();
        foreach (var unit in units)
            db.TeaVotes.Upsert(new VoteRecord { Id = $"{threadId}|{unit}", ThreadId = threadId, UnitId = unit, PersonId = user.PersonId()!, Stance = s, Reason = reason?.Trim(), At = now });
        // One count for both: the voter's view, and the same without what is theirs for everyone watching.
        var view = View(thread, user);
        feed.ThreadChanged(view with { Following = false, Vote = view.Vote! with { MyStance = null } });
        return view;
    }

    public Tally Count(TeaThread thread) => VoteRules.Count(thread.Proposal!.Matter, Electorate(thread),
        db.TeaVotes.Find(v => v.ThreadId == thread.Id).ToDictionary(v => v.UnitId, v => v.Stance));

    public List<VoteView> Votes(ClaimsPrincipal user, int threadId)
    {
        var thread = Thread(user, threadId);
        if (!SeesVotes(user)) throw new TeaTableException(403, "Votes are for the committee", "Who voted what is open to the residents' committee; everyone sees the tallies.");
        audit.Record(user, "tea.votes_read", $"thread {threadId}");
        return db.TeaVotes.Find(v => v.ThreadId == thread.Id).OrderBy(v => v.At)
            .Select(v => new VoteView(db.Units.FindById(v.UnitId)?.Label ?? v.UnitId, db.People.FindById(v.PersonId)?.Name ?? v.PersonId, v.Stance.ToString(), v.Reason, v.At))
            .ToList();
    }

    /// <summary>Owners of units in scope who have not voted yet, with the units they could vote for.</summary>
    public List<Person> Undecided(TeaThread thread)
    {
        var voted = db.TeaVotes.Find(v => v.ThreadId == thread.Id).Select(v => v.UnitId).ToHashSet();
        var scope = UnitsInScope(thread).Select(u => u.Id).ToHashSet();
        return db.People.Find(p => p.CommunityId == thread.CommunityId).Where(p => !p.IsOrganization)
            .Where(p => p.Units.Any(b => b.Relation is UnitRelation.Owner or UnitRelation.CoOwner && scope.Contains(b.UnitId) && !voted.Contains(b.UnitId)))
            .ToList();
    }

    // ---- timers (called by the background work) ----

    /// <summary>Locks threads whose close time came, opens those whose reopen time came, finalises proposals past their deadline.</summary>
    public List<TeaThread> RunTimers()
    {
        var now = time.GetUtcNow();
        var changed = new List<TeaThread>();
        lock (_writes)
        {
            foreach (var thread in db.TeaThreads.FindAll().Where(t => t.CloseAt is not null || t.ReopenAt is not null || t.Proposal is { Final: null }).ToList())
            {
                var next = thread;
                if (next.CloseAt <= now) next = next with { Locked = true, LockReason = "timer", CloseAt = null };
                if (next.ReopenAt <= now) next = next with { Locked = false, LockReason = null, Closed = false, ReopenAt = null };
                if (next.Proposal is { Final: null } p && p.Deadline <= now) next = next with { Proposal = p with { Final = Count(next) } };
                if (next != thread) changed.Add(Save(next));
            }
        }
        foreach (var thread in changed) feed.ThreadChanged(View(thread, null));
        return changed;
    }

    public void MarkReminded(int threadId)
    {
        lock (_writes)
        {
            if (db.TeaThreads.FindById(threadId) is { Proposal: { } p } thread)
                db.TeaThreads.Update(thread with { Proposal = p with { ReminderSentAt = time.GetUtcNow() } });
        }
    }

    // ---- views ----

    public ThreadView View(TeaThread t, ClaimsPrincipal? viewer)
    {
        TallyView? vote = null;
        if (t.Proposal is { } p)
        {
            var me = viewer?.PersonId();
            var mine = me is null ? null : db.TeaVotes.FindOne(v => v.ThreadId == t.Id && v.PersonId == me)?.Stance.ToString();
            vote = new TallyView(p.Matter.ToString(), VoteRules.IsSpecial(p.Matter), p.Deadline, p.Final is null && time.GetUtcNow() < p.Deadline,
                p.Final ?? Count(t), mine);
        }
        return new ThreadView(t.Id, t.CommunityId, t.Building, t.Title, t.AuthorId, t.AuthorName, t.CreatedAt, t.LastPostAt, t.PostCount, t.Pinned, t.Locked,
            t.LockReason, t.SlowModeSeconds, t.Closed, t.Conclusion, t.CloseAt, t.ReopenAt, t.Proposal?.Text, vote,
            viewer?.PersonId() is { } who && t.Followers.Contains(who), t.Version);
    }

    public static PostView View(Post p, string? viewer) => new(p.Id, p.ThreadId, p.AuthorId, p.AuthorName, p.Hidden is null ? p.Html : "", p.ReplyTo,
        p.Attachments.Select(FileUrl).OfType<string>().ToArray(), p.Reactions.ToDictionary(kv => kv.Key, kv => kv.Value.Count),
        viewer is null ? [] : p.Reactions.Where(kv => kv.Value.Contains(viewer)).Select(kv => kv.Key).ToArray(),
        p.CreatedAt, p.EditedAt, p.Hidden is { } h ? new HiddenView(h.By, h.Reason, h.At) : null, p.Flags.Count);

    // ---- helpers ----

    /// <summary>
    /// A post's images are uploads its author made, named by id (or by the URL the upload answered with); anything else
    /// (another person's image, a path, a link elsewhere) is dropped. At most nine.
    /// </summary>
    private List<string> Attachments(string[]? given, string author) =>
        (given ?? []).Select(a => a.StartsWith(TeaTableApi.FilesPath + "/", StringComparison.Ordinal) ? a[(TeaTableApi.FilesPath.Length + 1)..] : a)
            .Where(id => Uploads.UploadStore.IsId(id) && uploads.IsOwnedBy(Uploads.UploadStore.TeaFolder, id, author))
            .Distinct().Take(9).ToList();

    /// <summary>The URL of a post's image: posts keep upload ids (older posts kept the URL itself).</summary>
    private static string? FileUrl(string attachment) =>
        Uploads.UploadStore.IsId(attachment) ? $"{TeaTableApi.FilesPath}/{attachment}"
        : attachment.StartsWith(TeaTableApi.FilesPath + "/", StringComparison.Ordinal) && Uploads.UploadStore.IsId(attachment[(TeaTableApi.FilesPath.Length + 1)..]) ? attachment
        : null;

    private Post NewPost(ClaimsPrincipal user, TeaThread thread, string text, int? replyTo, List<string> attachments)
    {
        var names = PostRenderer.MentionedNames(text).ToList();
        var staff = names.Count == 0 ? [] : db.People.Find(p => p.CommunityId == thread.CommunityId && p.Title != null).ToList();
        var mentions = names.SelectMany(n => staff.Where(s => s.Name == n || s.Title == n)).Select(s => s.Id).Distinct().ToList();
        return new Post
        {
            ThreadId = thread.Id, CommunityId = thread.CommunityId, AuthorId = user.PersonId()!, AuthorName = PublicName(user),
            Text = text, Html = PostRenderer.Render(text), ReplyTo = replyTo, Attachments = attachments, Mentions = mentions, CreatedAt = time.GetUtcNow(),
        };
    }

    private void TellMentioned(TeaThread thread, Post post)
    {
        var snippet = post.Text.Length > 60 ? post.Text[..60] + "…" : post.Text;
        foreach (var person in post.Mentions)
            feed.Mentioned(thread.CommunityId, new MentionView(person, thread.Id, thread.Title, post.Id, post.AuthorName, snippet));
    }

    /// <summary>
    /// How a person appears at the tea table. Staff by title and name (they act for the office); residents by surname
    /// and building only — "李** · 3栋" — so neighbours know who is nearby without the forum publishing full names.
    /// Volunteers and committee members say so. Full names stay where they are needed: the committee's vote list, the audit.
    /// </summary>
    public string PublicName(ClaimsPrincipal user)
    {
        var person = user.PersonId() is { Length: > 0 } id ? db.People.FindById(id) : null;
        var name = person?.Name ?? user.DisplayName();
        if (person?.Title is { } title) return $"{title} {name}";
        var masked = name.Length <= 1 ? name : name[0] + new string('*', Math.Min(name.Length - 1, 2));
        var unit = user.FindFirstValue(LinliClaims.Unit) ?? person?.Units.FirstOrDefault(b => b.Relation != UnitRelation.Tenant)?.UnitId ?? person?.Units.FirstOrDefault()?.UnitId;
        var building = unit is null ? null : db.Units.FindById(unit)?.BuildingNumber;
        var role = user.Is(Role.Committee) ? "业委会 " : user.Is(Role.Volunteer) ? "志愿者 " : "";
        return role + masked + (building is { } b ? $" · {b}栋" : "");
    }

    private TeaThread Change(ClaimsPrincipal user, int threadId, Func<TeaThread, TeaThread> change)
    {
        TeaThread saved;
        lock (_writes) saved = Save(change(Thread(user, threadId)));
        feed.ThreadChanged(View(saved, null));
        return saved;
    }

    private TeaThread Save(TeaThread thread)
    {
        var saved = thread with { Version = thread.Version + 1 };
        db.TeaThreads.Update(saved);
        return saved;
    }

    private Post OwnPost(ClaimsPrincipal user, int postId) =>
        db.TeaPosts.FindById(postId) is { } p && p.CommunityId == Community(user)
            ? p
            : throw new TeaTableException(404, "Post not found", $"No post {postId} in your community.");

    private List<Communities.Unit> UnitsInScope(TeaThread thread) =>
        db.Units.Find(u => u.CommunityId == thread.CommunityId).Where(u => thread.Building is null || u.BuildingNumber == thread.Building).ToList();

    /// <summary>
    /// Who may vote on a thread's proposal. Every change to a thread is told with its tally, so the electorate (a scan of
    /// the community's people) is kept for a minute per community and building rather than rebuilt on every post.
    /// </summary>
    private List<Voter> Electorate(TeaThread thread)
    {
        var key = (thread.CommunityId, thread.Building);
        var now = time.GetUtcNow();
        if (_electorates.TryGetValue(key, out var kept) && now - kept.At < ElectorateLifetime) return kept.Voters;
        var voters = BuildElectorate(thread);
        _electorates[key] = (now, voters);
        return voters;
    }

    private static readonly TimeSpan ElectorateLifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string, int?), (DateTimeOffset At, List<Voter> Voters)> _electorates = new();

    private List<Voter> BuildElectorate(TeaThread thread)
    {
        var units = UnitsInScope(thread);
        var owners = db.People.Find(p => p.CommunityId == thread.CommunityId).ToList()
            .SelectMany(p => p.Units.Where(b => b.Relation is UnitRelation.Owner or UnitRelation.CoOwner).Select(b => (b.UnitId, Person: p)))
            .ToLookup(x => x.UnitId, x => x.Person);
        return VoteRules.Electorate(units.Select(u => (u, (IReadOnlyList<Person>)owners[u.Id].ToList())));
    }

    /// <summary>The units in the thread's scope the signed-in person owns or co-owns (a resident signed in for one flat: that flat).</summary>
    private List<string> OwnedUnits(ClaimsPrincipal user, TeaThread thread)
    {
        if (!user.Is(Role.Owner) || db.People.FindById(user.PersonId()!) is not { } person) return [];
        var scope = UnitsInScope(thread).Select(u => u.Id).ToHashSet();
        // One owner, one stance: signed in from any of their flats, an owner votes for all they own in scope, so nobody
        // can vote both ways from two flats or be counted in two headcounts.
        return person.Units.Where(b => b.Relation is UnitRelation.Owner or UnitRelation.CoOwner && scope.Contains(b.UnitId)).Select(b => b.UnitId).ToList();
    }

    private static string Community(ClaimsPrincipal user) =>
        user.CommunityId() ?? throw new TeaTableException(401, "Sign in", "Sign in to take part in the tea table.");

    private static void Moderator(ClaimsPrincipal user)
    {
        if (!IsModerator(user)) throw new TeaTableException(403, "Moderators only", "Volunteer moderators and staff do this.");
    }

    private void CheckMuted(ClaimsPrincipal user)
    {
        if (db.TeaMutes.FindById($"{Community(user)}|{user.PersonId()}") is { } mute && mute.Until > time.GetUtcNow())
            throw new TeaTableException(403, "You are muted", $"A moderator muted you until {mute.Until.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} (China time): {mute.Reason}");
    }

    private void CheckFlood(ClaimsPrincipal user)
    {
        var now = time.GetUtcNow();
        var recent = _recentPosts.GetOrAdd(user.PersonId()!, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            while (recent.Count > 0 && now - recent.Peek() > TimeSpan.FromMinutes(1)) recent.Dequeue();
            if (recent.Count >= Options.MaxPostsPerMinute)
                throw new TeaTableException(429, "Too many posts", $"At most {Options.MaxPostsPerMinute} posts a minute; please slow down.");
            recent.Enqueue(now);
        }
    }

    private void CheckText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > Options.MaxPostLength)
            throw Bad("A post of 1 to 5,000 characters", "Write what you want to say.");
    }

    private static string Reason(string? reason) =>
        reason?.Trim() is { Length: > 0 and <= 500 } r ? r : throw Bad("A reason is needed", "Say why, in at most 500 characters.");

    private static TeaTableException Bad(string title, string detail) => new(400, title, detail);
}
