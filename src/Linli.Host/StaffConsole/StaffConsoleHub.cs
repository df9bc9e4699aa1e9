using System.Threading.Channels;
using Linli.Accounts;
using Linli.Storage;
using Linli.Tickets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Linli.StaffConsole;

/// <summary>What an open staff console is told, live.</summary>
public interface IStaffConsoleClient
{
    Task TicketCreated(TicketView ticket);
    Task TicketChanged(TicketView ticket);
}

/// <summary>
/// The staff console's live channel: each connection joins its community's group (from its sign-in, never from what it
/// asks), hears new and changed tickets there, and after a dropped connection asks what changed since it last heard.
/// </summary>
[Authorize(Policy = AuthApi.ServicePolicy)]
public sealed class StaffConsoleHub(LinliDatabase db, TimeProvider time) : Hub<IStaffConsoleClient>
{
    public const string Path = "/hubs/staff";

    public static string Group(string communityId) => "community:" + communityId;

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

    /// <summary>Tickets of the caller's community changed after <paramref name="since"/> (the last change the console saw), oldest first.</summary>
    public TicketView[] ChangesSince(DateTimeOffset since)
    {
        var community = Context.User!.CommunityId()!;
        return db.Tickets.Find(t => t.CommunityId == community && t.UpdatedAt > since)
            .OrderBy(t => t.UpdatedAt).Select(t => TicketsApi.View(t, db, time)).ToArray();
    }
}

/// <summary>Hands ticket news to the hub in order, off the caller's thread (a slow console never slows a resident's turn).</summary>
public sealed class StaffConsoleFeed(IHubContext<StaffConsoleHub, IStaffConsoleClient> hub, LinliDatabase db, TimeProvider time,
    ILogger<StaffConsoleFeed> logger) : BackgroundService, ITicketFeed
{
    private readonly Channel<(Ticket Ticket, bool Created)> _queue = Channel.CreateUnbounded<(Ticket, bool)>(new() { SingleReader = true });

    public void Publish(Ticket ticket, bool created) => _queue.Writer.TryWrite((ticket, created));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (ticket, created) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var group = hub.Clients.Group(StaffConsoleHub.Group(ticket.CommunityId));
                var view = TicketsApi.View(ticket, db, time);
                await (created ? group.TicketCreated(view) : group.TicketChanged(view));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not tell consoles about ticket {Number}", ticket.Number);
            }
        }
    }
}
