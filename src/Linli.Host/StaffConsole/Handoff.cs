using System.Text.Json;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Tickets;

namespace Linli.StaffConsole;

/// <summary>
/// A resident's conversation a member of staff has taken over: the bot stays silent until it is handed back.
/// </summary>
public sealed record HandoffRecord
{
    /// <summary>"{channelId}|{userId}" of the resident.</summary>
    public required string Id { get; init; }
    public required string TicketNumber { get; init; }
    public required string StaffPersonId { get; init; }
    public required string StaffName { get; init; }
    public required DateTimeOffset Since { get; init; }

    public static string Key(string channelId, string userId) => $"{channelId}|{userId}";
}

/// <summary>
/// Human handoff as Bot Framework signals it: the conversation gets <c>handoff.initiate</c> when a resident asks for a
/// person and <c>handoff.status</c> (accepted / completed) as staff take it over and hand it back. While taken over,
/// what the resident says goes to the console and the ticket; what staff write goes into the resident's chat on its
/// own channel.
/// </summary>
public sealed class HandoffService(IHandoffStore handoffs, TicketService tickets,
    IConversationReferenceStore references, IProactiveMessenger messenger, Phrases.CommonPhrases phrases,
    ITicketFeed feed, TranscriptStore transcripts, IConversationEvents conversations, TimeProvider time,
    ILogger<HandoffService> logger)
{
    public const string Initiate = "handoff.initiate", Status = "handoff.status";

    /// <summary>
    /// The event turn in which the bot takes the conversation back and goes on with what was in progress.
    /// </summary>
    public const string HandedBack = "linli.handed_back";

    public HandoffRecord? For(string channelId, string userId) => handoffs.Find(channelId, userId);

    public async Task<HandoffRecord> TakeOverAsync(Ticket ticket, string staffPersonId, string staffName,
        CancellationToken cancellationToken)
    {
        var record = new HandoffRecord
        {
            Id = HandoffRecord.Key(ticket.Reporter.ChannelId, ticket.Reporter.UserId), TicketNumber = ticket.Number,
            StaffPersonId = staffPersonId, StaffName = staffName, Since = time.GetUtcNow(),
        };
        handoffs.Save(record);
        logger.LogInformation("{Staff} took over the conversation of ticket {Number}", staffName, ticket.Number);
        await SayAsync(ticket, StatusEvent("accepted", ticket), cancellationToken);
        var locale = await LocaleAsync(ticket, cancellationToken);
        await SayAsync(ticket, new Activity { Text = phrases.HandoffAccepted.Format(locale, ("name", staffName)) },
            cancellationToken);
        return record;
    }

    public async Task<bool> HandBackAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        if (!handoffs.Remove(ticket.Reporter.ChannelId, ticket.Reporter.UserId)) return false;
        await SayAsync(ticket, StatusEvent("completed", ticket), cancellationToken);
        // The bot speaks again in a turn of its own, so that a dialog left waiting (a repair half told) goes on.
        await conversations.PostAsync(new ConversationEvent(ticket.Reporter.ChannelId, ticket.Reporter.UserId,
            HandedBack, new { ticket = ticket.Number }), cancellationToken);
        return true;
    }

    private static Activity StatusEvent(string state, Ticket ticket) => new()
    {
        Type = ActivityTypes.Event, Name = Status,
        Value = JsonSerializer.SerializeToElement(new { state, ticket = ticket.Number }),
    };

    /// <summary>
    /// Staff write to the resident: into their chat, under the staff member's name, and onto the ticket.
    /// </summary>
    public async Task<bool> StaffSaysAsync(Ticket ticket, string staffName, string text,
        CancellationToken cancellationToken)
    {
        var reference = await references.FindAsync(ticket.Reporter.ChannelId, ticket.Reporter.UserId,
            cancellationToken);
        if (reference is null) return false;
        var activity = new Activity
        {
            Type = ActivityTypes.Message, Text = text, ChannelId = reference.ChannelId,
            Conversation = reference.Conversation,
            From = new ChannelAccount(reference.Bot?.Id ?? "linli", staffName, "bot"),
        };
        await transcripts.LogAsync(activity, "staff", cancellationToken);
        await messenger.SendAsync(reference, activity, cancellationToken);
        Append(ticket.Number, staffName, text);
        return true;
    }

    /// <summary>
    /// The resident spoke while a person has their conversation: onto the ticket and to the consoles; the bot says
    /// nothing.
    /// </summary>
    public void ResidentSaid(HandoffRecord handoff, string text) => Append(handoff.TicketNumber, "resident", text);

    private void Append(string number, string from, string text)
    {
        var ticket = tickets.AppendMessage(number, new TicketMessage(time.GetUtcNow(), from, text));
        if (ticket is not null) feed.Publish(ticket, created: false);
    }

    private async Task SayAsync(Ticket ticket, Activity activity, CancellationToken cancellationToken)
    {
        var reference = await references.FindAsync(ticket.Reporter.ChannelId, ticket.Reporter.UserId,
            cancellationToken);
        if (reference is not null) await messenger.SendAsync(reference, activity, cancellationToken);
    }

    private async Task<string?> LocaleAsync(Ticket ticket, CancellationToken cancellationToken) =>
        (await references.FindAsync(ticket.Reporter.ChannelId, ticket.Reporter.UserId, cancellationToken))?.Locale;
}
