using Linli.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Communities;

public sealed record CommunitySummary(string Id, string Name, string NameEn, string City, string District, int Buildings, int Units);

public sealed record BuildingSummary(string Id, string Name, int Number, int Floors, int Units);

public sealed record CommunityDetail(
    string Id, string Name, string NameEn, string City, string District, string Address,
    decimal PropertyFeeRate, decimal ParkingFee, BuildingSummary[] Buildings);

public static class CommunityApi
{
    public static IEndpointRouteBuilder MapCommunities(this IEndpointRouteBuilder routes)
    {
        // Public facts about the estate; nothing here names a resident or a unit's owner.
        var group = routes.MapGroup("/api/communities").WithTags("Communities");
        group.MapGet("/", ListCommunities).WithSummary("Communities served by this Linli");
        group.MapGet("/{communityId}", GetCommunity).WithSummary("One community with its buildings");
        return routes;
    }

    private static Ok<CommunitySummary[]> ListCommunities(LinliDatabase db) =>
        TypedResults.Ok(db.Communities.FindAll().OrderBy(c => c.Id).Select(c => new CommunitySummary(
            c.Id, c.Name, c.NameEn, c.City, c.District,
            db.Buildings.Count(b => b.CommunityId == c.Id),
            db.Units.Count(u => u.CommunityId == c.Id))).ToArray());

    private static Results<Ok<CommunityDetail>, ProblemHttpResult> GetCommunity(string communityId, LinliDatabase db)
    {
        var c = db.Communities.FindById(communityId);
        if (c is null)
            return TypedResults.Problem(statusCode: 404, title: "Community not found", detail: $"No community has the id '{communityId}'.");

        var buildings = db.Buildings.Find(b => b.CommunityId == c.Id).OrderBy(b => b.Number)
            .Select(b => new BuildingSummary(b.Id, b.Name, b.Number, b.Floors, db.Units.Count(u => u.BuildingId == b.Id)))
            .ToArray();
        return TypedResults.Ok(new CommunityDetail(c.Id, c.Name, c.NameEn, c.City, c.District, c.Address,
            c.PropertyFeeRate, c.ParkingFee, buildings));
    }
}
