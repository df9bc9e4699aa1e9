using LiteDB;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Chat;
using Linli.Storage;
using Microsoft.Extensions.Options;

namespace Linli.Tickets;

/// <summary>Opens tickets (once per message) and moves them through their statuses, telling the resident each time.</summary>
public sealed class TicketService(LinliDatabase db, IOptions<TicketOptions> options, TimeProvider time,
    IConversationReferenceStore references, IProactiveMessenger messenger, CommonPhrases phrases)
{
    private static readonly Dictionary<string, string> Prefixes = new()
    {
        ["repair_request"] = "BX", ["complaint"] = "TS", ["hazard_report"] = "YH", ["emergency"] = "JJ",
        ["mediation"] = "TJ", ["human_handoff"] = "RG",
    };
    private readonly Lock _numbering = new();

    public Ticket Open(string kind, IReadOnlyDictionary<string, string> answers, Activity from, string? unitId = null, string? personId = null)
    {
        var sourceKey = $"{from.ChannelId}|{from.Conversation?.Id}|{from.Id}|{kind}";
        lock (_numbering)
        {
            if (db.Tickets.FindOne(t => t.SourceKey == sourceKey) is { } existing) return existing;

            var now = time.GetUtcNow();
            var prefix = $"{Prefixes.GetValueOrDefault(kind, "QT")}-{now.ToOffset(TimeSpan.FromHours(8)):yyyyMMdd}-";
            var sequence = db.Tickets.Count(t => t.Number.StartsWith(prefix)) + 1;
            var urgency = answers.GetValueOrDefault("urgency") ?? (kind == "emergency" ? "urgent" : "normal");
            var target = options.Value.For(kind, urgency);
            var ticket = new Ticket
            {
                Id = ObjectId.NewObjectId().ToString(),
                Number = $"{prefix}{sequence:D4}",
                Kind = kind,
                Category = answers.GetValueOrDefault("category"),
                UnitId = unitId,
                Location = answers.GetValueOrDefault("unit") ?? answers.GetValueOrDefault("location") ?? answers.GetValueOrDefault("place"),
                Text = answers.GetValueOrDefault("description") ?? answers.GetValueOrDefault("text"),
                Attachments = (answers.GetValueOrDefault("photo") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
                Urgency = urgency,
                Answers = new Dictionary<string, string>(answers),
                Reporter = new TicketReporter(from.ChannelId ?? "", from.From?.Id ?? "", from.Conversation?.Id ?? "", personId),
                CreatedAt = now,
                RespondBy = now.AddMinutes(target.RespondMinutes),
                ResolveBy = now.AddMinutes(target.ResolveMinutes),
                History = [new TicketEvent(now, TicketStatus.New, "resident", null)],
                SourceKey = sourceKey,
            };
            db.Tickets.Insert(ticket);
            return ticket;
        }
    }

    public Ticket? Find(string number) => db.Tickets.FindOne(t => t.Number == number);

    /// <summary>Moves the ticket on, records who did it, and tells the resident in their own conversation.</summary>
    public async Task<Ticket> ChangeStatusAsync(string number, TicketStatus status, string by, string? note, CancellationToken cancellationToken)
    {
        var ticket = Find(number) ?? throw new KeyNotFoundException($"No ticket {number}.");
        var changed = ticket with { Status = status, History = [.. ticket.History, new TicketEvent(time.GetUtcNow(), status, by, note)] };
        db.Tickets.Update(changed);

        var reference = await references.FindAsync(ticket.Reporter.ChannelId, ticket.Reporter.UserId, cancellationToken);
        if (reference is not null && phrases.TicketStatus.TryGetValue(status.ToString(), out var words))
        {
            var text = words.Format(reference.Locale, ticket.Number) + (string.IsNullOrWhiteSpace(note) ? "" : $"\n{note}");
            await messenger.SendAsync(reference, new Activity { Text = text }, cancellationToken);
        }
        return changed;
    }
}
