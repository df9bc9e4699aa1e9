using Linli.Bot.Dialogs;
using Linli.Bot.Turns;
using Linli.Residents;
using Linli.Tickets;

namespace Linli.Chat;

/// <summary>repair_request.submit: logs the repair and gives its number.</summary>
public sealed class RepairRequestHandler(TicketService tickets, ResidentDirectory residents) : IDialogHandler
{
    public string Name => "repair_request.submit";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        var activity = completion.Turn.Activity;
        var unit = completion.Values.TryGetValue("unit", out var label) ? residents.FindUnit(label) : null;
        var binding = residents.BindingFor(activity.ChannelId ?? "", activity.From?.Id ?? "");
        var ticket = tickets.Open("repair_request", completion.Values, activity, unit?.Id, binding?.PersonId);
        return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["number"] = ticket.Number });
    }
}

/// <summary>emergency.submit: logs the emergency with where it is. (Paging the duty roster comes with the emergency work.)</summary>
public sealed class EmergencyHandler(TicketService tickets) : IDialogHandler
{
    public string Name => "emergency.submit";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        var ticket = tickets.Open("emergency", completion.Values, completion.Turn.Activity);
        return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["number"] = ticket.Number });
    }
}

/// <summary>unit_exists: the flat named ("3栋502") is one Linli knows.</summary>
public sealed class UnitExistsValidator(Residents.ResidentDirectory residents) : IDialogValidator
{
    public string Name => "unit_exists";

    public Task<bool> IsValidAsync(string value, TurnContext turn, CancellationToken cancellationToken) =>
        Task.FromResult(residents.FindUnit(value) is not null);
}
