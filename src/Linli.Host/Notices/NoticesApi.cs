using System.Security.Claims;
using Linli.Accounts;
using Linli.Fees;
using Linli.Residents;
using Linli.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Notices;

public sealed record NoticeRequest(string? Scope, int? Building, string? Unit, string? Title, string? Body);

/// <summary>What the office sends out: notices to a community, building or flat, and arrears reminders.</summary>
public static class NoticesApi
{
    public static IEndpointRouteBuilder MapNotices(this IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api/communities/{communityId}").WithTags("Notices").RequireAuthorization(AuthApi.ServicePolicy)
            .RequireRateLimiting(Hosting.RateLimits.Writes);
        staff.MapPost("/notices", PublishAsync).WithSummary("Publish a notice; bound residents it concerns get it in their chat");
        staff.MapGet("/notices", (string communityId, ClaimsPrincipal user, NoticeService notices) =>
            user.Serves(communityId) ? Results.Ok(notices.All(communityId)) : TicketsApi.Forbidden(communityId)).WithSummary("Notices published");
        staff.MapPost("/arrears-reminders", RemindAsync).WithTags("Fees")
            .WithSummary("Remind bound residents of unpaid bills in their chat (at most once per resident per interval)");
        return routes;
    }

    private static async Task<IResult> PublishAsync(string communityId, NoticeRequest request, ClaimsPrincipal user, NoticeService notices,
        ResidentDirectory residents, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!user.Serves(communityId)) return TicketsApi.Forbidden(communityId);
        if (string.IsNullOrWhiteSpace(request.Title) || string.IsNullOrWhiteSpace(request.Body))
            return Bad("Title and body are required");
        if (request.Title.Length > 100 || request.Body.Length > 2000)
            return Bad("Too long", "A title is at most 100 characters and a body at most 2,000.");
        if (!Enum.TryParse<NoticeScope>(request.Scope ?? "community", ignoreCase: true, out var scope) || int.TryParse(request.Scope, out _))
            return Bad("Unknown scope", "scope must be community, building or unit.");
        string? unitId = null;
        if (scope == NoticeScope.Building && request.Building is null) return Bad("Which building?", "A building notice needs building (e.g. 3).");
        if (scope == NoticeScope.Unit)
        {
            if (request.Unit is null || residents.FindUnit(request.Unit, communityId) is not { } unit || unit.CommunityId != communityId)
                return Bad("Which flat?", "A unit notice needs unit, a flat of this community such as 3栋502.");
            unitId = unit.Id;
        }
        var notice = await notices.PublishAsync(communityId, scope, request.Building, unitId, request.Title.Trim(), request.Body.Trim(),
            user.DisplayName(), cancellationToken);
        audit.Record(user, "notice.publish", notice.Id, $"{scope}: {notice.Title}");
        return TypedResults.Created($"/api/communities/{communityId}/notices/{notice.Id}", notice);
    }

    private static async Task<IResult> RemindAsync(string communityId, ClaimsPrincipal user, ArrearsReminders reminders, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        if (!user.Serves(communityId)) return TicketsApi.Forbidden(communityId);
        var report = await reminders.SendAsync(communityId, user.DisplayName(), cancellationToken);
        audit.Record(user, "arrears.remind", communityId, $"{report.Sent} sent");
        return TypedResults.Ok(report);
    }

    private static ProblemHttpResult Bad(string title, string? detail = null) => TypedResults.Problem(statusCode: 400, title: title, detail: detail);
}
