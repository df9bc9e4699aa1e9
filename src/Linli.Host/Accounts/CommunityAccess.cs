using System.Security.Claims;
using Linli.Hosting;

namespace Linli.Accounts;

public static class CommunityAccess
{
    /// <summary>Anyone signed in for this community: its residents, committee, volunteers and staff.</summary>
    public static bool BelongsTo(this ClaimsPrincipal user, string communityId) => user.CommunityId() == communityId;

    /// <summary>Readers from elsewhere learn nothing, not even that the community has such records.</summary>
    public static void MustBelongTo(this ClaimsPrincipal user, string communityId)
    {
        if (!user.BelongsTo(communityId))
            throw DomainProblem.NotFound("community.nothing_here", new { communityId });
    }

    public static void MustServe(this ClaimsPrincipal user, string communityId)
    {
        user.MustBelongTo(communityId);
        if (!user.Serves(communityId))
            throw DomainProblem.Forbidden("community.staff_only");
    }
}
