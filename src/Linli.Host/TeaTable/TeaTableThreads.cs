using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.Storage;
using Microsoft.Extensions.Options;
using static Linli.TeaTable.TeaTableRules;

namespace Linli.TeaTable;

/// <summary>
/// Reading the tea table (a community's threads, a thread's pages of posts) and changing a thread safely: every
/// change is made to the thread as stored and saved against its version, again if someone changed it meanwhile.
/// </summary>
public sealed class TeaTableThreads(
    ITeaThreadStore threads, ITeaPostStore posts, TeaTableViews views, ITeaTableFeed feed,
    IOptions<TeaTableOptions> options)
{
    public List<ThreadView> Threads(ClaimsPrincipal user, int? building, int skip, int take) =>
        threads.List(Community(user), building, skip, take).Select(t => views.View(t, user)).ToList();

    public TeaThread Thread(ClaimsPrincipal user, int threadId) =>
        threads.Find(Community(user), threadId)
            ?? throw DomainProblem.NotFound("tea.thread_not_found", new { threadId });

    public Post Post(ClaimsPrincipal user, int postId) =>
        posts.Find(Community(user), postId)
            ?? throw DomainProblem.NotFound("tea.post_not_found", new { postId });

    /// <summary>
    /// Posts after <paramref name="after"/> (catching up) or the latest page before <paramref name="before"/>,
    /// oldest first.
    /// </summary>
    public ThreadPage Page(ClaimsPrincipal user, int threadId, int? after, int? before, int? take)
    {
        var thread = Thread(user, threadId);
        var size = Math.Clamp(take ?? options.Value.PageSize, 1, 200);
        var community = thread.CommunityId;
        // One more than asked says whether there are more.
        var page = after is { } a
            ? posts.After(community, threadId, a, size + 1).ToList()
            : posts.Before(community, threadId, before ?? int.MaxValue, size + 1).ToList();
        var more = page.Count > size;
        page = page.Take(size).ToList();
        if (after is null) page.Reverse();
        var moderator = IsModerator(user);
        var shown = page.Where(p => p.Hidden is null || moderator).Select(p => TeaTableViews.View(p, user.PersonId()));
        return new ThreadPage(views.View(thread, user), shown.ToArray(), more);
    }

    /// <summary>Changes a thread of the signed-in person's community and tells everyone watching.</summary>
    public TeaThread Change(ClaimsPrincipal user, int threadId, Func<TeaThread, TeaThread> change)
    {
        // Moderators' changes always make a new thread; one that changed nothing is told as the thread stands.
        var saved = Update(Community(user), threadId, change) ?? Thread(user, threadId);
        feed.ThreadChanged(views.View(saved, null));
        return saved;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored thread and saves it: the saved thread, or null when the change
    /// returned the thread as it was (nothing saved). The change may run again, on the thread as someone changed it
    /// meanwhile, so it must only compute.
    /// </summary>
    public TeaThread? Update(string communityId, int threadId, Func<TeaThread, TeaThread> change) =>
        Optimistic.Retry<TeaThread?>(() =>
        {
            var current = threads.Find(communityId, threadId)
                ?? throw DomainProblem.NotFound("tea.thread_not_found", new { threadId });
            var changed = change(current);
            if (ReferenceEquals(changed, current)) return null;
            if (threads.TryUpdate(changed with { Version = current.Version }) is { } saved) return saved;
            return Optimistic.Lost;
        }, Busy);

    /// <summary>
    /// As <see cref="Update"/>, for a post of the signed-in person's community: the post as saved, or as it is when
    /// the change returned it unchanged.
    /// </summary>
    public Post UpdatePost(ClaimsPrincipal user, int postId, Func<Post, Post> change) =>
        Optimistic.Retry<Post>(() =>
        {
            var current = Post(user, postId);
            var changed = change(current);
            if (ReferenceEquals(changed, current)) return current;
            if (posts.TryUpdate(changed with { Version = current.Version }) is { } saved) return saved;
            return Optimistic.Lost;
        }, Busy);

    private static DomainProblem Busy() =>
        DomainProblem.Conflict("tea.changed_meanwhile");
}
