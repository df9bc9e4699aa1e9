namespace Linli.People;

/// <summary>
/// What a person may do. Staff work tickets; a Manager also passes on others' tickets and is paged on breaches; a
/// SafetyOfficer is paged for hazards and emergencies; a Mediator takes disputes; a Volunteer moderates the tea table;
/// Committee: a member of the residents' or owners' committee (sees who voted what; closes discussions); an Admin
/// manages accounts of their community. Resident and Owner come from a flat, never from an account.
/// </summary>
public enum Role { Resident, Owner, Staff, Volunteer, Mediator, Admin, Committee, Manager, SafetyOfficer }

/// <summary>How a person is tied to a unit. Owners and co-owners vote; tenants and family do not.</summary>
public enum UnitRelation { Owner, CoOwner, Tenant, Family }

public sealed record UnitBinding(string UnitId, UnitRelation Relation);

/// <summary>
/// Anyone Linli knows: residents bound to units, and the people who serve them.
/// <see cref="Phone"/> is kept whole for verification; show it only through <see cref="PhoneMask"/>.
/// </summary>
public sealed record Person
{
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string Name { get; init; }
    public required string Phone { get; init; }
    public List<Role> Roles { get; init; } = [];
    public List<UnitBinding> Units { get; init; } = [];
    /// <summary>An organisation rather than a person, e.g. the developer holding unsold units.</summary>
    public bool IsOrganization { get; init; }
    /// <summary>Job title of staff ("维修工", "安全员"); empty for residents.</summary>
    public string? Title { get; init; }
    public string Locale { get; init; } = "zh-CN";
    /// <summary>
    /// Staff only: their member id (账号) in the office's WeCom, where pages and assignments reach them and whence
    /// their replies to residents come. Set through the accounts API; unique.
    /// </summary>
    public string? WeComUserId { get; init; }

    public bool Has(Role role) => Roles.Contains(role);
}
