using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Linli.Accounts;
using Linli.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Linli.TeaTable;

/// <summary>What a page showing a thread is told, live.</summary>
public interface ITeaTableClient
{
    Task PostAdded(PostView post);
    Task PostChanged(PostView post);
    Task PostRemoved(int threadId, int postId);
    Task ThreadChanged(ThreadView thread);
    /// <summary>How many neighbours have the thread open now.</summary>
    Task Presence(int threadId, int count);
    Task Typing(int threadId, string name);
}

/// <summary>What a page gets when it joins a thread: the thread now, the posts it missed, and who is here.</summary>
public sealed record JoinResult(ThreadView Thread, PostView[] Missed, bool More, int Present);

/// <summary>
/// The tea table's live channel: a group per thread, joined only for a thread of the caller's own community; presence
/// counted per person (two tabs are one neighbour); typing told to the others; a page that reconnects joins again with
/// the last post id it showed and gets what it missed.
/// </summary>
[Authorize]
public sealed class TeaTableHub(
    TeaTableThreads threads, TeaTableViews views, TeaTablePresence presence, ITeaTableFeed feed)
    : Hub<ITeaTableClient>
{
    public const string Path = "/hubs/tea";

    public static string Group(int threadId) => "thread:" + threadId;

    /// <summary>Pages listing a community's threads: new threads and changes to any of them.</summary>
    public static string ListGroup(string communityId) => "threads:" + communityId;

    /// <summary>Keep the caller's thread list live (their own community's, from their sign-in).</summary>
    public Task WatchList() =>
        Context.User!.CommunityId() is { } community
            ? Groups.AddToGroupAsync(Context.ConnectionId, ListGroup(community))
            : throw new HubException("Sign in to see the tea table.");

    public async Task<JoinResult> Join(int threadId, int lastSeenPostId)
    {
        var page = lastSeenPostId > 0
            ? threads.Page(Context.User!, threadId, lastSeenPostId, null, 200)
            : threads.Page(Context.User!, threadId, null, null, null);
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(threadId));
        var count = await presence.EnterAsync(threadId, Context.ConnectionId, Context.User!.PersonId()!);
        feed.PresenceChanged(threadId);
        return new JoinResult(page.Thread, page.Posts, page.More, count);
    }

    public async Task Leave(int threadId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(threadId));
        if (await presence.LeaveAsync(threadId, Context.ConnectionId) is not null)
            feed.PresenceChanged(threadId);
    }

    public async Task Typing(int threadId)
    {
        if (presence.IsIn(threadId, Context.ConnectionId))
            // The name the forum shows ("李** · 3栋"), never the full one.
            await Clients.OthersInGroup(Group(threadId)).Typing(threadId, views.PublicName(Context.User!));
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var (threadId, _) in await presence.LeaveAllAsync(Context.ConnectionId))
            feed.PresenceChanged(threadId);
        await base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// Hands tea-table news to the hub in order, off the caller's thread. A thread's count of neighbours is read when it
/// is sent, so the last one sent is the count now, and arrivals that come together are told once.
/// </summary>
public sealed class TeaTableFeed(
    IHubContext<TeaTableHub, ITeaTableClient> hub,
    IStaffMentions consoles,
    TeaTablePresence present,
    IClusterPresence cluster,
    ILogger<TeaTableFeed> logger) : BackgroundService, ITeaTableFeed
{
    private readonly Channel<Func<Task>> _queue = Channel.CreateUnbounded<Func<Task>>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<int, byte> _recounting = new();

    /// <summary>
    /// A thread's count goes out at most this often: a crowd arriving together hears a few counts, the last one
    /// right, not one count per arrival sent to everyone (quadratic in the crowd).
    /// </summary>
    private static readonly TimeSpan PresenceEvery = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<int, long> _toldAt = new();

    private ITeaTableClient Thread(int id) => hub.Clients.Group(TeaTableHub.Group(id));

    public void PostAdded(PostView post) => _queue.Writer.TryWrite(() => Thread(post.ThreadId).PostAdded(post));
    public void PostChanged(PostView post) => _queue.Writer.TryWrite(() => Thread(post.ThreadId).PostChanged(post));
    public void PostRemoved(int threadId, int postId) =>
        _queue.Writer.TryWrite(() => Thread(threadId).PostRemoved(threadId, postId));
    public void ThreadChanged(ThreadView thread) => _queue.Writer.TryWrite(() => hub.Clients
        .Groups(TeaTableHub.Group(thread.Id), TeaTableHub.ListGroup(thread.CommunityId))
        .ThreadChanged(thread));
    public void ThreadCounted(ThreadView thread) =>
        _queue.Writer.TryWrite(() => hub.Clients.Group(TeaTableHub.ListGroup(thread.CommunityId)).ThreadChanged(thread));
    public void Mentioned(string communityId, MentionView mention) =>
        _queue.Writer.TryWrite(() => consoles.Mentioned(communityId, mention));

    public void PresenceChanged(int threadId)
    {
        if (!_recounting.TryAdd(threadId, 0)) return;
        var wait = PresenceEvery - Stopwatch.GetElapsedTime(_toldAt.GetValueOrDefault(threadId));
        if (wait <= TimeSpan.Zero) _queue.Writer.TryWrite(() => TellPresenceAsync(threadId));
        else
            _ = Task.Delay(wait).ContinueWith(
                _ => _queue.Writer.TryWrite(() => TellPresenceAsync(threadId)), TaskScheduler.Default);
    }

    private async Task TellPresenceAsync(int threadId)
    {
        _recounting.TryRemove(threadId, out _);
        _toldAt[threadId] = Stopwatch.GetTimestamp();
        var count = await present.CountAsync(threadId);
        await Thread(threadId).Presence(threadId, count);
    }

    /// <summary>Another instance died or stopped with neighbours in a thread.</summary>
    private void Recounted(string room, int count)
    {
        if (TeaTablePresence.ThreadOf(room) is { } threadId) PresenceChanged(threadId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        cluster.Recounted += Recounted;
        using var _ = stoppingToken.Register(() => cluster.Recounted -= Recounted);
        await foreach (var send in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try { await send(); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not tell a thread's viewers");
            }
        }
    }
}
