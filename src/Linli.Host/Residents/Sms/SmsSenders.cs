namespace Linli.Residents.Sms;

/// <summary>Sends a one-time code by text message to a phone on file.</summary>
public interface ISmsSender
{
    /// <exception cref="SmsException">
    /// The provider refused or could not be reached; the code did not go out.
    /// </exception>
    Task SendCodeAsync(string phone, string code, CancellationToken cancellationToken);
}

public sealed class SmsException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Development's "SMS": the code goes to the log (the phone masked as everywhere else), so the demo and the end-to-end
/// tests can sign in. Registered only in Development, or when "Sms:Provider" is "Log" on purpose.
/// </summary>
public sealed class LoggingSmsSender(ILogger<LoggingSmsSender> logger) : ISmsSender
{
    public Task SendCodeAsync(string phone, string code, CancellationToken cancellationToken)
    {
        logger.LogWarning("One-time code for {Phone}: {Code} (demo: no SMS is sent)",
            People.PhoneMask.Mask(phone), code);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Outside Development with no SMS provider configured: no code can go out, and the resident is told to ask staff.
/// </summary>
public sealed class NoSmsSender(ILogger<NoSmsSender> logger) : ISmsSender
{
    public Task SendCodeAsync(string phone, string code, CancellationToken cancellationToken)
    {
        logger.LogError("No SMS provider is configured (Sms:Provider); a one-time code for {Phone} was not sent",
            People.PhoneMask.Mask(phone));
        throw new SmsException("No SMS provider is configured.");
    }
}
