namespace Linli.Notices;

public enum NoticeScope { Community, Building, Unit }

/// <summary>A notice from the office to a whole community, one building, or one flat.</summary>
public sealed record Notice
{
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required NoticeScope Scope { get; init; }
    public int? BuildingNumber { get; init; }
    public string? UnitId { get; init; }
    public required string Title { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    /// <summary>The staff member who published it.</summary>
    public required string PublishedBy { get; init; }
    /// <summary>How many bound residents it was pushed to.</summary>
    public int PushedTo { get; init; }

    public bool Reaches(string communityId, int? building, string? unitId) =>
        CommunityId == communityId && Scope switch
        {
            NoticeScope.Community => true,
            NoticeScope.Building => building is not null && BuildingNumber == building,
            _ => unitId is not null && UnitId == unitId,
        };
}
