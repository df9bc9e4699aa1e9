namespace Linli.Residents;

/// <summary>A channel identity (Direct Line user, WeChat OpenID, Bot Framework from.id) proven to belong to a resident of a unit.</summary>
public sealed record ResidentBinding
{
    /// <summary>"{channelId}|{userId}".</summary>
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string UnitId { get; init; }
    public required string PersonId { get; init; }
    public required DateTimeOffset BoundAt { get; init; }
    /// <summary>When the office last reminded this resident of arrears (reminders are rate-limited).</summary>
    public DateTimeOffset? LastArrearsReminderAt { get; init; }

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
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string UnitId { get; init; }
    public required string PersonId { get; init; }
    public required string CodeHash { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public int Attempts { get; init; }
}

/// <summary>Delivers a one-time code to the phone on file (SMS in production).</summary>
public interface ICodeSender
{
    Task SendAsync(string phone, string code, CancellationToken cancellationToken);
}

/// <summary>The demo's "SMS": the code goes to the log, with the phone masked as everywhere else.</summary>
public sealed class LoggingCodeSender(ILogger<LoggingCodeSender> logger) : ICodeSender
{
    public Task SendAsync(string phone, string code, CancellationToken cancellationToken)
    {
        logger.LogWarning("One-time code for {Phone}: {Code} (demo: no SMS is sent)", People.PhoneMask.Mask(phone), code);
        return Task.CompletedTask;
    }
}
