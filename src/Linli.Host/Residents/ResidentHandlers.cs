using System.Globalization;
using Linli.Bot.Dialogs;
using Linli.Fees;
using Linli.People;
using Linli.Storage;

namespace Linli.Residents;

/// <summary>bind_unit.send_code: checks the flat and phone against the records and sends the one-time code.</summary>
public sealed class SendCodeHandler(ResidentDirectory residents) : IDialogHandler
{
    public string Name => "bind_unit.send_code";

    public async Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        var activity = completion.Turn.Activity;
        var person = await residents.StartAsync(activity.ChannelId ?? "", activity.From?.Id ?? "",
            completion.Values["unit"], completion.Values["phone"], cancellationToken);
        return person is null
            ? new Dictionary<string, string> { [DialogResults.Outcome] = "not_found" }
            : new Dictionary<string, string> { ["masked_phone"] = PhoneMask.Mask(person.Phone), [DialogResults.Next] = "bind_unit_code" };
    }
}

/// <summary>bind_unit.verify: the code typed back binds this channel identity to the flat.</summary>
public sealed class VerifyCodeHandler(ResidentDirectory residents, LinliDatabase db) : IDialogHandler
{
    public string Name => "bind_unit.verify";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        var activity = completion.Turn.Activity;
        var (channel, user) = (activity.ChannelId ?? "", activity.From?.Id ?? "");
        IReadOnlyDictionary<string, string> result = residents.Verify(channel, user, completion.Values["code"]) switch
        {
            VerificationResult.Bound => new Dictionary<string, string>
            {
                ["unit"] = db.Units.FindById(residents.BindingFor(channel, user)!.UnitId).Label,
            },
            VerificationResult.WrongCode => new Dictionary<string, string> { [DialogResults.Outcome] = "wrong", [DialogResults.Next] = "bind_unit_code" },
            _ => new Dictionary<string, string> { [DialogResults.Outcome] = "expired" },
        };
        return Task.FromResult(result);
    }
}

/// <summary>fee_query.answer: the month's bills and the arrears of the resident's own flat, and nobody else's.</summary>
public sealed class FeeQueryHandler(ResidentDirectory residents, FeeStore fees, LinliDatabase db) : IDialogHandler
{
    public string Name => "fee_query.answer";

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        var activity = completion.Turn.Activity;
        var binding = residents.BindingFor(activity.ChannelId ?? "", activity.From?.Id ?? "");
        if (binding is null)
            return Done(new() { [DialogResults.Outcome] = "unbound", [DialogResults.Next] = "bind_unit" });

        var unit = db.Units.FindById(binding.UnitId);
        // Naming another flat than one's own gets a refusal, never that flat's bills.
        if (completion.Values.TryGetValue("mentioned_unit", out var mentioned) && residents.FindUnit(mentioned)?.Id != unit.Id)
            return Done(new() { [DialogResults.Outcome] = "not_yours", ["unit"] = unit.Label });

        var period = Period.Parse(completion.Values["period"]);
        var month = fees.BillsFor(unit.Id, period);
        if (month.Count == 0)
            return Done(new() { [DialogResults.Outcome] = "no_bills", ["unit"] = unit.Label });

        var unpaid = fees.BillsFor(unit.Id).Where(b => !b.IsSettled).ToList();
        var values = new Dictionary<string, string>
        {
            ["unit"] = unit.Label,
            ["due"] = Money(month.Sum(b => b.AmountDue)),
            ["paid"] = Money(month.Sum(b => b.AmountPaid)),
            ["outstanding"] = Money(unpaid.Sum(b => b.Outstanding)),
            ["months"] = unpaid.Select(b => b.Period).Distinct().Count().ToString(CultureInfo.InvariantCulture),
        };
        if (unpaid.Count > 0) values[DialogResults.Outcome] = "arrears";
        return Done(values);
    }

    private static string Money(decimal yuan) => yuan.ToString("0.00", CultureInfo.InvariantCulture);

    private static Task<IReadOnlyDictionary<string, string>> Done(Dictionary<string, string> values) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(values);
}
