using Linli.Bot.Dialogs;
using Linli.Residents;
using Linli.Tickets;

namespace Linli.Mediation;

/// <summary>
/// mediation.submit (申请调解 in the chat): a ticket for the office's queue, as every request gets, and for a resident
/// whose flat is confirmed a mediation case they can follow, naming the other flat when they gave one.
/// </summary>
public sealed class MediationChatHandler(TicketService tickets, ResidentDirectory directory, MediationIntake intake)
    : OpenTicketHandler(tickets, directory)
{
    public override string Name => "mediation.submit";
    protected override string Kind => "mediation";
    private const int SubjectLength = 30;

    // A dispute is talked through, not photographed: no photo prompt after it.
    public override Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var ticket = Open(completion);
        var result = new Dictionary<string, string> { ["number"] = ticket.Number };
        if (Residents.WhoIs(completion.Turn.Activity).Binding is { } me)
        {
            var gist = completion.Values.GetValueOrDefault("description")?.Trim() is { Length: > 0 } d ? d : "邻里纠纷";
            var other = completion.Values.GetValueOrDefault("other_party") is { } named
                && Residents.FindUnit(named, me.CommunityId) is { } unit && unit.Id != me.UnitId ? unit.Label : null;
            var subject = gist.Length <= SubjectLength ? gist : gist[..SubjectLength] + "…";
            var opened = intake.Apply(me.CommunityId, me.PersonId, me.UnitId,
                subject, "other", other, "chat", gist, ticket.Number);
            result["case"] = opened.Number;
            result[DialogResults.Outcome] = "case";
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }
}
