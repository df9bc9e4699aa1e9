using System.Security.Claims;
using Linli.Accounts;
using Linli.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.StaffConsole;

public sealed record StaffMessage(string? Text);

/// <summary>
/// Staff taking a resident's conversation over from the bot, writing in it, and handing it back (Bot Framework's
/// handoff.status accepted / completed).
/// </summary>
public static class HandoffApi
{
    public const int MaxMessageLength = 2000;

    public static RouteGroupBuilder MapHandoff(this RouteGroupBuilder staff)
    {
        staff.MapPost("/tickets/{number}/takeover", TakeOverAsync).WithTags("Handoff")
            .WithSummary("Take over the resident's conversation: the bot goes quiet, handoff.status accepted");
        staff.MapPost("/tickets/{number}/handback", HandBackAsync).WithTags("Handoff")
            .WithSummary("Hand the conversation back to the bot: handoff.status completed");
        staff.MapPost("/tickets/{number}/messages", SayAsync).WithTags("Handoff")
            .WithSummary("Write to the resident, in their own chat on its own channel");
        return staff;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> TakeOverAsync(string number, ClaimsPrincipal user,
        TicketService tickets, HandoffService handoffs, AuditTrail audit, CancellationToken ct)
    {
        if (tickets.Own(user, number) is not { } ticket) return TicketsApi.NotFound(number);
        await handoffs.TakeOverAsync(ticket, user.PersonId()!, user.DisplayName(), ct);
        audit.Record(user, "conversation.takeover", number);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> HandBackAsync(string number, ClaimsPrincipal user,
        TicketService tickets, HandoffService handoffs, AuditTrail audit, CancellationToken ct)
    {
        if (tickets.Own(user, number) is not { } ticket) return TicketsApi.NotFound(number);
        if (!await handoffs.HandBackAsync(ticket, ct))
            return TypedResults.Problem(statusCode: 409, title: "Not taken over",
                detail: $"Nobody has the conversation of {number}.");
        audit.Record(user, "conversation.handback", number);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SayAsync(string number, StaffMessage message,
        ClaimsPrincipal user, TicketService tickets, HandoffService handoffs, AuditTrail audit, CancellationToken ct)
    {
        if (tickets.Own(user, number) is not { } ticket) return TicketsApi.NotFound(number);
        if (string.IsNullOrWhiteSpace(message.Text) || message.Text.Length > MaxMessageLength)
            return TypedResults.Problem(statusCode: 400, title: "A message of 1 to 2,000 characters",
                detail: "Write what the resident should read.");
        if (!await handoffs.StaffSaysAsync(ticket, user.DisplayName(), message.Text.Trim(), ct))
            return TypedResults.Problem(statusCode: 409, title: "The resident cannot be reached",
                detail: "Linli has no conversation with this resident.");
        audit.Record(user, "conversation.message", number);
        return TypedResults.NoContent();
    }
}
