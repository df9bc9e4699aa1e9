using Linli.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Communities;

public sealed record CommunitySummary(string Id, string Name, string NameEn, string City, string District,
    int Buildings, int Units);

public sealed record BuildingSummary(string Id, string Name, int Number, int Floors, int Units);

public sealed record CommunityDetail(
    string Id, string Name, string NameEn, string City, string District, string Address,
    decimal PropertyFeeRate, decimal ParkingFee, BuildingSummary[] Buildings);

/// <summary>
/// The estates Linli serves, their buildings and flats: public facts over HTTP. Its store is registered with the others
/// by the storage module.
/// </summary>
public static class CommunitiesModule
{
    public static IEndpointRouteBuilder MapCommunities(this IEndpointRouteBuilder routes)
    {
        // Public facts about the estate; nothing here names a resident or a unit's owner.
        var group = routes.MapGroup("/api/communities").WithTags("Communities");
        group.MapGet("/", ListCommunities).WithSummary("Communities served by this Linli");
        group.MapGet("/{communityId}", GetCommunity).WithSummary("One community with its buildings");
        return routes;
    }

    private static Ok<CommunitySummary[]> ListCommunities(ICommunityStore communities) =>
        TypedResults.Ok(communities.All().Select(c => new CommunitySummary(
            c.Id, c.Name, c.NameEn, c.City, c.District,
            communities.Buildings(c.Id).Count,
            communities.UnitCounts(c.Id).Values.Sum())).ToArray());

    private static Ok<CommunityDetail> GetCommunity(string communityId, ICommunityStore communities)
    {
        var c = communities.Find(communityId)
            ?? throw DomainProblem.NotFound("communities.not_found", new { communityId });
        var units = communities.UnitCounts(c.Id);
        var buildings = communities.Buildings(c.Id)
            .Select(b => new BuildingSummary(b.Id, b.Name, b.Number, b.Floors, units.GetValueOrDefault(b.Id)))
            .ToArray();
        return TypedResults.Ok(new CommunityDetail(c.Id, c.Name, c.NameEn, c.City, c.District, c.Address,
            c.PropertyFeeRate, c.ParkingFee, buildings));
    }
}
