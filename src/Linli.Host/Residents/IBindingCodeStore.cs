namespace Linli.Residents;

/// <summary>
/// One-time codes waiting to be typed back, and the asks for codes that the limits count. Both are kept by who asks (a
/// chat identity; a flat, a phone's hash, a requester), not by community: a limit holds wherever the asks come from.
/// </summary>
public interface IBindingCodeStore
{
    BindingCode? FindCode(string channelId, string userId);

    /// <summary>Adds the pending code of its chat identity, or replaces it (a new code, a counted try).</summary>
    void SaveCode(BindingCode code);

    void DeleteCode(string channelId, string userId);

    /// <summary>Counts one ask; adding the same ask again (a retry) counts it once.</summary>
    void AddRequest(CodeRequest request);

    /// <summary>
    /// Asks made after <paramref name="since"/> for this flat, for this phone or by this requester, newest first.
    /// </summary>
    IReadOnlyList<CodeRequest> RequestsSince(DateTimeOffset since, string unitId, string phoneHash, string requester);

    /// <summary>Forgets asks made before <paramref name="cutoff"/>: no limit looks back that far.</summary>
    void ForgetRequestsBefore(DateTimeOffset cutoff);
}
