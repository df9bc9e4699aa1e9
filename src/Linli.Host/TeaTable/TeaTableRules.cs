using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;

namespace Linli.TeaTable;

/// <summary>Who may do what at the tea table, and the refusals every part of it shares.</summary>
public static class TeaTableRules
{
    public static readonly string[] Emoji = ["👍", "❤️", "😂", "😮", "🙏", "👎"];
    private static readonly Role[] ModeratorRoles = [Role.Volunteer, Role.Staff, Role.Admin];

    public static bool IsModerator(ClaimsPrincipal user) => ModeratorRoles.Any(user.Is);

    /// <summary>Who may see how each owner voted: the residents' committee (and the community's admin).</summary>
    public static bool SeesVotes(ClaimsPrincipal user) => user.Is(Role.Committee) || user.Is(Role.Admin);

    /// <summary>The community the signed-in person takes part in.</summary>
    public static string Community(ClaimsPrincipal user) =>
        user.CommunityId() ?? throw new DomainProblem(401, "tea.sign_in");

    public static void RequireModerator(ClaimsPrincipal user)
    {
        if (!IsModerator(user))
            throw DomainProblem.Forbidden("tea.moderators_only");
    }

    /// <summary>The reason a moderator or a flag gives: required, at most 500 characters.</summary>
    public static string Reason(string? reason) =>
        reason?.Trim() is { Length: > 0 and <= 500 } r
            ? r
            : throw DomainProblem.Bad("tea.a_reason_is_needed");
}
