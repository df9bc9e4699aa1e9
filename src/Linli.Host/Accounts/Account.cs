using Linli.People;

namespace Linli.Accounts;

/// <summary>
/// A sign-in for someone who serves the community: staff, volunteers, mediators, the committee, admins.
/// Residents do not get passwords; they arrive through a signed link the bot gives them, or a code by SMS.
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
    /// <summary>Disabled by an admin: no sign-in, and sessions already open end.</summary>
    public bool Disabled { get; init; }
    /// <summary>
    /// The password was set by someone else (a new account, a reset): its owner sets their own before anything else.
    /// </summary>
    public bool MustChangePassword { get; init; }
    /// <summary>Changes with the password, the roles or the status, which ends every session made before.</summary>
    public string Stamp { get; init; } = "";
    public DateTimeOffset? PasswordChangedAt { get; init; }
}
