using System.Security.Claims;
using Linli.Accounts;
using Linli.Fees;
using Linli.Hosting;
using Linli.Residents;

namespace Linli.Notices;

public sealed record NoticeRequest(string? Scope, int? Building, string? Unit, string? Title, string? Body);

/// <summary>What the office sends out: notices to a community, building or flat, and arrears reminders.</summary>
public static class NoticesApi
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api/communities/{communityId}").WithTags("Notices")
            .RequireAuthorization(AuthApi.ServicePolicy).RequireRateLimiting(RateLimits.Writes).RequireStaffOf();
        staff.MapPost("/notices", PublishAsync)
            .WithSummary("Publish a notice; bound residents it concerns get it in their chat");
        staff.MapGet("/notices", (string communityId, NoticeService notices) => Results.Ok(notices.All(communityId)))
            .WithSummary("Notices published");
        staff.MapPost("/arrears-reminders", RemindAsync).WithTags("Fees")
            .WithSummary(
                "Remind bound residents of unpaid bills in their chat (at most once per resident per interval)");
        return routes;
    }

    private static async Task<IResult> PublishAsync(string communityId, NoticeRequest request, ClaimsPrincipal user,
        NoticeService notices, ResidentDirectory residents, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Title) || string.IsNullOrWhiteSpace(request.Body))
            throw DomainProblem.Bad("notices.title_and_body");
        if (request.Title.Length > 100 || request.Body.Length > 2000) throw DomainProblem.Bad("notices.too_long");
        var scope = EnumNames.Parse<NoticeScope>(request.Scope ?? "community", "scope", "notices.unknown_scope");
        string? unitId = null;
        if (scope == NoticeScope.Building && request.Building is null)
            throw DomainProblem.Bad("notices.which_building");
        if (scope == NoticeScope.Unit)
        {
            var unit = request.Unit is null ? null : residents.FindUnit(request.Unit, communityId);
            if (unit is null || unit.CommunityId != communityId) throw DomainProblem.Bad("notices.which_flat");
            unitId = unit.Id;
        }
        var notice = await notices.PublishAsync(communityId, scope, request.Building, unitId, request.Title.Trim(),
            request.Body.Trim(), user.DisplayName(), cancellationToken);
        audit.Record(user, "notice.publish", notice.Id, $"{scope}: {notice.Title}");
        return TypedResults.Created($"/api/communities/{communityId}/notices/{notice.Id}", notice);
    }

    private static async Task<IResult> RemindAsync(string communityId, ClaimsPrincipal user, ArrearsReminders reminders,
        AuditTrail audit, CancellationToken cancellationToken)
    {
        var report = await reminders.SendAsync(communityId, user.DisplayName(), cancellationToken);
        audit.Record(user, "arrears.remind", communityId, $"{report.Sent} sent");
        return TypedResults.Ok(report);
    }
}
