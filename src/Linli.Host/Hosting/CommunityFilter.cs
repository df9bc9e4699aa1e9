using Linli.Accounts;

namespace Linli.Hosting;

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
    public static TBuilder RequireMember<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new CommunityFilter(staffOnly: false));

    /// <summary>
    /// Staff, admins and mediators of this community (<see cref="LinliClaims.Serves"/>); anyone else gets 403
    /// "Not your community".
    /// </summary>
    public static TBuilder RequireStaffOf<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new CommunityFilter(staffOnly: true));
}

internal sealed class CommunityFilter(bool staffOnly) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.GetRouteValue("communityId") is not string communityId) return next(context);
        var user = context.HttpContext.User;
        if (staffOnly && !user.Serves(communityId))
            throw DomainProblem.Forbidden("community.not_staff", new { communityId });
        if (!staffOnly) user.MustBelongTo(communityId);
        return next(context);
    }
}
