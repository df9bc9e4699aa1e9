using Linli.Bot.Schema;
using Linli.Storage;

namespace Linli.Chat;

/// <summary>
/// What a resident asked for through a dialog (a repair, an emergency, a person to talk to), with a number they
/// can quote. The tickets work (status, assignment, SLA) grows from this record.
/// </summary>
public sealed record ServiceRequest
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string Kind { get; init; }
    public required Dictionary<string, string> Values { get; init; }
    public required string ChannelId { get; init; }
    public required string UserId { get; init; }
    public required string ConversationId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class ServiceRequestStore(LinliDatabase db, TimeProvider time)
{
    private static readonly Dictionary<string, string> Prefixes = new()
    {
        ["repair_request"] = "BX", ["emergency"] = "JJ", ["human_handoff"] = "RG",
    };
    private readonly Lock _numbering = new();

    public ServiceRequest Create(string kind, IReadOnlyDictionary<string, string> values, Activity from)
    {
        lock (_numbering)
        {
            var now = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
            var prefix = $"{Prefixes.GetValueOrDefault(kind, "QT")}-{now:yyyyMMdd}-";
            // Numbers restart each day and count up: BX-20261126-0001, -0002, …
            var today = db.ServiceRequests.Count(r => r.Number.StartsWith(prefix));
            var request = new ServiceRequest
            {
                Id = Guid.NewGuid().ToString("n"),
                Number = $"{prefix}{today + 1:D4}",
                Kind = kind,
                Values = new Dictionary<string, string>(values),
                ChannelId = from.ChannelId ?? "",
                UserId = from.From?.Id ?? "",
                ConversationId = from.Conversation?.Id ?? "",
                CreatedAt = time.GetUtcNow(),
            };
            db.ServiceRequests.Insert(request);
            return request;
        }
    }
}
