using Linli.People;

namespace Linli.Accounts;

/// <summary>
/// A sign-in for someone who serves the community: staff, volunteers, mediators, admins.
/// Residents do not get passwords; they arrive through a signed link the bot gives them.
/// </summary>
public sealed record Account
{
    /// <summary>The user name, lower case.</summary>
    public required string Id { get; init; }
    public required string PersonId { get; init; }
    public required string CommunityId { get; init; }
    public required List<Role> Roles { get; init; }
    /// <summary>ASP.NET Core Identity's PBKDF2 hash; the password itself is never stored.</summary>
    public required string PasswordHash { get; init; }
    public int FailedAttempts { get; init; }
    public DateTimeOffset? LockedUntil { get; init; }
}
