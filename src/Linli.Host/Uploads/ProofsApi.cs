using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.People;

namespace Linli.Uploads;

/// <summary>
/// Proofs behind the open accounts (contracts, invoices, receipts, progress photos): uploaded by the office or the
/// committee, read by every member of the community, kept as long as the lines that name them (never swept by
/// retention).
/// </summary>
public static class ProofsApi
{
    public const int MaxProofBytes = 10 * 1024 * 1024;

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{communityId}/proofs").WithTags("Open accounts")
            .RequireAuthorization().RequireMember();
        group.MapGet("/{id}", (string communityId, string id, UploadStore uploads, HttpContext http) =>
        {
            return uploads.Find(UploadStore.ProofFolder, id) is { } file && uploads.IsProofOf(id, communityId)
                ? UploadStore.Serve(file, http)
                : throw DomainProblem.NotFound("uploads.no_such_proof");
        }).WithSummary("A proof file (image or PDF)");
        group.MapPost("", UploadAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Uploads)
            .WithSummary("Upload a proof (a multipart file, or the file as the body): " +
                "its id is named by ledger and project lines");
        return routes;
    }

    private static async Task<IResult> UploadAsync(string communityId, HttpRequest request, ClaimsPrincipal user,
        UploadStore uploads, CancellationToken cancellationToken)
    {
        if (!user.Serves(communityId) && !user.Is(Role.Committee))
            throw DomainProblem.Forbidden("uploads.office_or_committee");
        if (request.ContentLength is null or > MaxProofBytes + 10_000)
            throw DomainProblem.Bad("uploads.too_large");
        var content = request.Body;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            content = form.Files is [var file] && file.Length <= MaxProofBytes ? file.OpenReadStream()
                : throw DomainProblem.Bad("uploads.one_file_please");
        }
        var stored = await uploads.SaveProofAsync(content, communityId, user.PersonId()!, cancellationToken)
            ?? throw DomainProblem.Bad("uploads.not_a_proof");
        return TypedResults.Created($"/api/communities/{communityId}/proofs/{stored.Id}", stored);
    }
}
