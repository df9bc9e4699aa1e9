using Linli.Storage;

namespace Linli.Residents;

/// <summary>
/// A channel identity (Direct Line user, WeChat OpenID, Bot Framework from.id) proven to belong to a resident of a
/// unit.
/// </summary>
public sealed record ResidentBinding
{
    /// <summary>"{channelId}|{userId}" (<see cref="IdFor"/>).</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string UnitId { get; init; }
    public required string PersonId { get; init; }
    public required DateTimeOffset BoundAt { get; init; }
    /// <summary>When the office last reminded this resident of arrears (reminders are rate-limited).</summary>
    public DateTimeOffset? LastArrearsReminderAt { get; init; }

    /// <summary>The id of a chat identity's binding, and of its pending code.</summary>
    public static string IdFor(string channelId, string userId) => $"{channelId}|{userId}";

    /// <summary>The channel and user of <see cref="Id"/>, to find the resident's conversation.</summary>
    public (string ChannelId, string UserId) Identity()
    {
        var bar = Id.IndexOf('|');
        return (Id[..bar], Id[(bar + 1)..]);
    }
}

/// <summary>A one-time code waiting to be typed back; only its hash is kept.</summary>
public sealed record BindingCode
{
    /// <summary>The chat identity's, as its binding's will be (<see cref="ResidentBinding.IdFor"/>).</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string UnitId { get; init; }
    public required string PersonId { get; init; }
    public required string CodeHash { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public int Attempts { get; init; }
}

/// <summary>
/// A code asked for: counted per flat, per phone and per requester (a client address, a chat user) to limit how often
/// codes go out.
/// </summary>
public sealed record CodeRequest
{
    /// <summary>
    /// Made here (<see cref="Ids.New"/>). Asks stored before were given LiteDB ObjectIds: they read back as their
    /// 24 hex digits.
    /// </summary>
    public string Id { get; init; } = Ids.New();
    public required string UnitId { get; init; }
    /// <summary>The SHA-256 of the typed number: the phone someone typed is not theirs to keep.</summary>
    public required string PhoneHash { get; init; }
    public required string Requester { get; init; }
    public required DateTimeOffset At { get; init; }
}
