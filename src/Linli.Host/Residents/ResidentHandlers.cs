using System.Globalization;
using Linli.Bot.Dialogs;
using Linli.Communities;

namespace Linli.Residents;

/// <summary>bind_unit.send_code: checks the flat and phone against the records and sends the one-time code.</summary>
public sealed class SendCodeHandler(ResidentDirectory residents) : IDialogHandler
{
    public string Name => "bind_unit.send_code";

    public async Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var activity = completion.Turn.Activity;
        var (channel, user) = (activity.ChannelId ?? "", activity.From?.Id ?? "");
        var start = await residents.StartAsync(channel, user, completion.Values["unit"], completion.Values["phone"],
            "chat:" + ResidentDirectory.Key(channel, user), cancellationToken);
        return start.Outcome switch
        {
            // The same answer whether or not the number is on file for the flat: the code step follows either way.
            CodeOutcome.Sent => new Dictionary<string, string>
            {
                ["masked_phone"] = start.MaskedPhone, [DialogResults.Next] = "bind_unit_code",
            },
            CodeOutcome.Limited => new Dictionary<string, string>
            {
                [DialogResults.Outcome] = "limited",
                ["minutes"] = Math.Ceiling(start.RetryAfter.TotalMinutes).ToString(CultureInfo.InvariantCulture),
                [DialogResults.EndAll] = "true",
            },
            CodeOutcome.Unavailable => Ended("unavailable"),
            _ => Ended("not_found"),
        };
    }

    private static Dictionary<string, string> Ended(string outcome) =>
        new() { [DialogResults.Outcome] = outcome, [DialogResults.EndAll] = "true" };
}

/// <summary>bind_unit.verify: the code typed back binds this channel identity to the flat.</summary>
public sealed class VerifyCodeHandler(ResidentDirectory residents, ICommunityStore communities) : IDialogHandler
{
    public string Name => "bind_unit.verify";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var activity = completion.Turn.Activity;
        var (channel, user) = (activity.ChannelId ?? "", activity.From?.Id ?? "");
        IReadOnlyDictionary<string, string> result = residents.Verify(channel, user, completion.Values["code"]) switch
        {
            VerificationResult.Bound => new Dictionary<string, string>
            {
                ["unit"] = communities.FindUnit(residents.BindingFor(channel, user)!.UnitId)!.Label,
            },
            VerificationResult.WrongCode => new Dictionary<string, string>
            {
                [DialogResults.Outcome] = "wrong", [DialogResults.Next] = "bind_unit_code",
            },
            _ => new Dictionary<string, string>
            {
                [DialogResults.Outcome] = "expired", [DialogResults.EndAll] = "true",
            },
        };
        return Task.FromResult(result);
    }
}

/// <summary>
/// resident.own_unit: a begin handler that fills "unit" with the resident's own confirmed flat, if any.
/// </summary>
public sealed class OwnUnitHandler(ResidentDirectory residents, ICommunityStore communities) : IDialogHandler
{
    public string Name => "resident.own_unit";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var speaker = residents.WhoIs(completion.Turn.Activity);
        var unit = speaker.UnitId is { } unitId ? communities.FindUnit(unitId) : null;
        IReadOnlyDictionary<string, string> known = unit is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["unit"] = unit.Label };
        return Task.FromResult(known);
    }
}
