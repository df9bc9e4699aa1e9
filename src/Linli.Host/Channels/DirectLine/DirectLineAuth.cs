namespace Linli.Channels.DirectLine;

/// <summary>Who is calling: the holder of the secret, of a token for one conversation, or nobody.</summary>
public sealed record DirectLineCaller(bool HasSecret, DirectLineGrant? Grant)
{
    public bool MayUse(string conversationId) => HasSecret || Grant?.ConversationId == conversationId;
}

public static class DirectLineAuth
{
    /// <summary>
    /// Reads <c>Authorization: Bearer …</c> (or the <c>t</c> query parameter WebSocket clients use).
    /// Returns a problem when a credential was presented but is not valid.
    /// </summary>
    public static async Task<(DirectLineCaller Caller, IResult? Problem)> IdentifyAsync(HttpContext context, DirectLineTokens tokens)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var credential = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (string.IsNullOrEmpty(credential) && context.Request.Query.TryGetValue("t", out var t)) credential = t.ToString();
        if (string.IsNullOrEmpty(credential)) return (new DirectLineCaller(false, null), null);
        if (tokens.IsSecret(credential)) return (new DirectLineCaller(true, null), null);

        // 403, as Direct Line answers: clients (botframework-directlinejs) read it as "get a new token".
        var grant = await tokens.ValidateAsync(credential);
        return grant is null
            ? (new DirectLineCaller(false, null), Results.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Token not valid", detail: "The token is not valid or has expired; get a new one."))
            : (new DirectLineCaller(false, grant), null);
    }

    public static IResult Unauthorized(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not authorized", detail: detail);

    public static IResult Forbidden() =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "This token belongs to another conversation.");

    public static IResult NotFound(string conversationId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Conversation not found",
            detail: $"No conversation has the id '{conversationId}'.");
}
