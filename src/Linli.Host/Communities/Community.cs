namespace Linli.Communities;

/// <summary>A residential community (小区), the unit of data partitioning and of staff authority.</summary>
public sealed record Community
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string NameEn { get; init; }
    public required string City { get; init; }
    public required string District { get; init; }
    public required string Address { get; init; }
    /// <summary>Monthly property fee per m² of exclusive floor area, in yuan.</summary>
    public required decimal PropertyFeeRate { get; init; }
    /// <summary>Monthly parking management fee per space, in yuan.</summary>
    public required decimal ParkingFee { get; init; }
}

public sealed record Building
{
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required int Number { get; init; }
    public required int Floors { get; init; }
    public string Name => $"{Number}栋";
}

/// <summary>A flat. <see cref="Area"/> is the exclusive floor area (专有部分面积) that owner votes count.</summary>
public sealed record Unit
{
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string BuildingId { get; init; }
    public required int BuildingNumber { get; init; }
    public required int Floor { get; init; }
    /// <summary>Room number as residents say it: floor then position, e.g. "502", "1203".</summary>
    public required string Room { get; init; }
    public required decimal Area { get; init; }
    public bool HasParkingSpace { get; init; }

    /// <summary>The label residents write, e.g. "3栋502".</summary>
    public string Label => $"{BuildingNumber}栋{Room}";
}
