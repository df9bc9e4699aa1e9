using System.Globalization;
using Linli.Bot.Dialogs;
using Linli.Bot.Turns;
using Linli.Storage;

namespace Linli.Chat;

/// <summary>repair_request.submit: logs the repair and gives its number.</summary>
public sealed class RepairRequestHandler(ServiceRequestStore requests) : IDialogHandler
{
    public string Name => "repair_request.submit";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        var request = requests.Create("repair_request", completion.Values, completion.Turn.Activity);
        return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["number"] = request.Number });
    }
}

/// <summary>emergency.submit: logs the emergency with where it is. (Paging the duty roster comes with the emergency work.)</summary>
public sealed class EmergencyHandler(ServiceRequestStore requests) : IDialogHandler
{
    public string Name => "emergency.submit";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        var request = requests.Create("emergency", completion.Values, completion.Turn.Activity);
        return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["number"] = request.Number });
    }
}

/// <summary>fee_query.explain: the community's fee standard for the month asked. Own bills wait for unit binding.</summary>
public sealed class FeeQueryHandler(LinliDatabase db) : IDialogHandler
{
    public string Name => "fee_query.explain";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        // Until residents bind their flat, the only community is the one to describe.
        var community = db.Communities.FindAll().OrderBy(c => c.Id).First();
        return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["rate"] = community.PropertyFeeRate.ToString("0.00", CultureInfo.InvariantCulture),
            ["parking"] = community.ParkingFee.ToString("0.##", CultureInfo.InvariantCulture),
        });
    }
}

/// <summary>unit_exists: the flat named ("3栋502") is one Linli knows.</summary>
public sealed class UnitExistsValidator(LinliDatabase db) : IDialogValidator
{
    public string Name => "unit_exists";

    public Task<bool> IsValidAsync(string value, TurnContext turn, CancellationToken cancellationToken)
    {
        var at = value.IndexOf('栋');
        if (at <= 0 || !int.TryParse(value[..at], out var building)) return Task.FromResult(false);
        var room = value[(at + 1)..];
        if (room.Contains('单')) room = room[(room.IndexOf('元') + 1)..];
        return Task.FromResult(db.Units.Exists(u => u.BuildingNumber == building && u.Room == room));
    }
}
