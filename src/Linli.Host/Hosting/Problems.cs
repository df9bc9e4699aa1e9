using System.Security.Claims;
using Linli.Accounts;

namespace Linli.Hosting;

/// <summary>
/// A rule a request broke, thrown by a service and said to the caller as problem+json by <see cref="ProblemFilter"/>,
/// so endpoints stay one line and the rule stays beside the code that knows it.
/// </summary>
public sealed class DomainProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status => status;
    public string Title => title;

    public static DomainProblem Bad(string title, string detail) => new(400, title, detail);
    public static DomainProblem Forbidden(string title, string detail) => new(403, title, detail);
    public static DomainProblem NotFound(string title, string detail) => new(404, title, detail);
    public static DomainProblem Conflict(string title, string detail) => new(409, title, detail);
}

/// <summary>Turns a <see cref="DomainProblem"/> into its problem+json answer.</summary>
public sealed class ProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DomainProblem problem)
        {
            return TypedResults.Problem(statusCode: problem.Status, title: problem.Title, detail: problem.Message);
        }
    }
}

public static class CommunityAccess
{
    /// <summary>Anyone signed in for this community: its residents, committee, volunteers and staff.</summary>
    public static bool BelongsTo(this ClaimsPrincipal user, string communityId) => user.CommunityId() == communityId;

    /// <summary>Readers from elsewhere learn nothing, not even that the community has such records.</summary>
    public static void MustBelongTo(this ClaimsPrincipal user, string communityId)
    {
        if (!user.BelongsTo(communityId))
            throw DomainProblem.NotFound("Not found", $"Nothing here for you in community '{communityId}'.");
    }

    public static void MustServe(this ClaimsPrincipal user, string communityId)
    {
        user.MustBelongTo(communityId);
        if (!user.Serves(communityId))
            throw DomainProblem.Forbidden("Staff only", "The property office does this.");
    }
}
