using Linli.Hosting;

namespace Linli.Accounts;

/// <summary>
/// Who may use the routes of a group that carry <c>{communityId}</c>, said once on the group instead of in every
/// handler. Routes of the group without a community in their path are left to their own rules.
/// </summary>
public static class CommunityFilters
{
    /// <summary>
    /// Anyone signed in for this community (residents, committee, volunteers, staff); to anyone else the community
    /// answers 404, not even saying it has such records.
    /// </summary>
    /// <param name="refusal">What an outsider is told instead, where a feature says it its own way.</param>
    public static TBuilder RequireMember<TBuilder>(this TBuilder builder, Func<string, DomainProblem>? refusal = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new CommunityFilter(staffOnly: false, refusal));

    /// <summary>
    /// Staff, admins and mediators of this community (<see cref="LinliClaims.Serves"/>); anyone else gets 403
    /// "Not your community".
    /// </summary>
    public static TBuilder RequireStaffOf<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new CommunityFilter(staffOnly: true, null));
}

internal sealed class CommunityFilter(bool staffOnly, Func<string, DomainProblem>? refusal) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.GetRouteValue("communityId") is not string communityId) return next(context);
        var user = context.HttpContext.User;
        if (staffOnly && !user.Serves(communityId))
            throw DomainProblem.Forbidden("community.not_staff", new { communityId });
        if (!staffOnly && !user.BelongsTo(communityId))
            throw refusal?.Invoke(communityId) ?? DomainProblem.NotFound("community.nothing_here", new { communityId });
        return next(context);
    }
}
