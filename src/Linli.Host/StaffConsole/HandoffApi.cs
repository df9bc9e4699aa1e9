using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
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

    public static RouteGroupBuilder Map(RouteGroupBuilder staff)
    {
        staff.MapPost("/tickets/{number}/takeover", TakeOverAsync).WithTags("Handoff")
            .WithSummary("Take over the resident's conversation: the bot goes quiet, handoff.status accepted");
        staff.MapPost("/tickets/{number}/handback", HandBackAsync).WithTags("Handoff")
            .WithSummary("Hand the conversation back to the bot: handoff.status completed");
        staff.MapPost("/tickets/{number}/messages", SayAsync).WithTags("Handoff")
            .WithSummary("Write to the resident, in their own chat on its own channel");
        return staff;
    }

    private static async Task<NoContent> TakeOverAsync(string number, ClaimsPrincipal user,
        TicketService tickets, HandoffService handoffs, AuditTrail audit, CancellationToken ct)
    {
        var ticket = tickets.Own(user, number) ?? throw TicketsApi.NotFound(number);
        await handoffs.TakeOverAsync(ticket, user.PersonId()!, user.DisplayName(), ct);
        audit.Record(user, "conversation.takeover", number);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> HandBackAsync(string number, ClaimsPrincipal user,
        TicketService tickets, HandoffService handoffs, AuditTrail audit, CancellationToken ct)
    {
        var ticket = tickets.Own(user, number) ?? throw TicketsApi.NotFound(number);
        if (!await handoffs.HandBackAsync(ticket, ct))
            throw DomainProblem.Conflict("console.not_taken_over", new { number });
        audit.Record(user, "conversation.handback", number);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SayAsync(string number, StaffMessage message,
        ClaimsPrincipal user, TicketService tickets, HandoffService handoffs, AuditTrail audit, CancellationToken ct)
    {
        var ticket = tickets.Own(user, number) ?? throw TicketsApi.NotFound(number);
        if (string.IsNullOrWhiteSpace(message.Text) || message.Text.Length > MaxMessageLength)
            throw DomainProblem.Bad("console.message_length");
        if (!await handoffs.StaffSaysAsync(ticket, user.DisplayName(), message.Text.Trim(), ct))
            throw DomainProblem.Conflict("console.unreachable");
        audit.Record(user, "conversation.message", number);
        return TypedResults.NoContent();
    }
}
