using System.Threading.Channels;
using Linli.Accounts;
using Linli.Tickets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Linli.StaffConsole;

/// <summary>What an open staff console is told, live.</summary>
public interface IStaffConsoleClient
{
    Task TicketCreated(TicketView ticket);
    Task TicketChanged(TicketView ticket);
    /// <summary>A message in a conversation this console watches ("{channel}|{conversation}").</summary>
    Task ConversationActivity(string conversation, TranscriptLine line);
    /// <summary>
    /// A neighbour named a member of staff (@name) at the tea table; the console of that person shows it.
    /// </summary>
    Task Mentioned(TeaTable.MentionView mention);
}

/// <summary>
/// What a console gets when it starts watching a ticket's conversation: its key and the messages so far.
/// </summary>
public sealed record ConversationWatch(string Conversation, TranscriptLine[] Lines);

/// <summary>
/// The staff console's live channel: each connection joins its community's group (from its sign-in, never from what
/// it asks), hears new and changed tickets there, and after a dropped connection asks what changed since it last
/// heard.
/// </summary>
[Authorize(Policy = AuthApi.ServicePolicy)]
public sealed class StaffConsoleHub(TicketService tickets, TicketPeople people, TimeProvider time,
    TranscriptStore transcripts, AuditTrail audit) : Hub<IStaffConsoleClient>
{
    public const string Path = "/hubs/staff";

    public static string Group(string communityId) => "community:" + communityId;

    public static string ConversationGroup(string conversation) => "conversation:" + conversation;

    public override async Task OnConnectedAsync()
    {
        var community = Context.User?.CommunityId();
        if (community is null)
        {
            Context.Abort();
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(community));
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// Tickets of the caller's community changed after <paramref name="since"/> (the last change the console saw),
    /// oldest first.
    /// </summary>
    public TicketView[] ChangesSince(DateTimeOffset since) =>
        [.. tickets.ChangedSince(Context.User!.CommunityId()!, since).Select(t => TicketViews.View(t, people, time))];

    /// <summary>
    /// Watch the resident's conversation behind a ticket of the caller's community, live, before (or while) taking it
    /// over: the messages so far, then each new one as <see cref="IStaffConsoleClient.ConversationActivity"/>. Logged
    /// in the audit trail.
    /// </summary>
    public async Task<ConversationWatch> WatchConversation(string number)
    {
        var conversation = ConversationOf(number);
        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationGroup(conversation));
        audit.Record(Context.User!, "conversation.watch", number);
        return new ConversationWatch(conversation, transcripts.Read(conversation));
    }

    public async Task StopWatching(string number) =>
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ConversationGroup(ConversationOf(number)));

    private string ConversationOf(string number)
    {
        var ticket = tickets.Own(Context.User!, number) ?? throw TicketService.NotFound(number);
        return TranscriptStore.Key(ticket.Reporter.ChannelId, ticket.Reporter.ConversationId);
    }
}

/// <summary>
/// Hands ticket news to the hub in order, off the caller's thread (a slow console never slows a resident's turn).
/// </summary>
public sealed class StaffConsoleFeed(IHubContext<StaffConsoleHub, IStaffConsoleClient> hub, TicketPeople people,
    TimeProvider time, ILogger<StaffConsoleFeed> logger) : BackgroundService, ITicketFeed
{
    private readonly Channel<(Ticket Ticket, bool Created)> _queue =
        Channel.CreateUnbounded<(Ticket, bool)>(new() { SingleReader = true });

    public void Publish(Ticket ticket, bool created) => _queue.Writer.TryWrite((ticket, created));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (ticket, created) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var group = hub.Clients.Group(StaffConsoleHub.Group(ticket.CommunityId));
                var view = TicketViews.View(ticket, people, time);
                await (created ? group.TicketCreated(view) : group.TicketChanged(view));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not tell consoles about ticket {Number}", ticket.Number);
            }
        }
    }
}
