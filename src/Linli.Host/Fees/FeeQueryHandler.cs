using System.Globalization;
using Linli.Bot.Dialogs;
using Linli.Calendar;
using Linli.Residents;
using Microsoft.Extensions.Options;
using Linli.Communities;

namespace Linli.Fees;

/// <summary>
/// fee_query.answer: a month's bill, what is owed, payments made and how the fee is worked out, for the resident's own
/// flat and nobody else's; how fees are worked out and how to pay, for anyone.
/// </summary>
public sealed class FeeQueryHandler(
    ResidentDirectory residents,
    IFeeStore fees,
    IPaymentStore payments,
    ICommunityStore communities,
    IOptions<FeesOptions> options,
    CollectionRateAnswer collectionRate) : IDialogHandler
{
    public string Name => "fee_query.answer";
    private const int ListedLines = 6;

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(
        DialogCompletion completion, CancellationToken cancellationToken)
    {
        var activity = completion.Turn.Activity;
        var locale = activity.Locale;
        var topic = completion.Values.GetValueOrDefault("topic") ?? "bill";
        var howToPay = options.Value.HowToPay.For(locale);
        var speaker = residents.WhoIs(activity);
        var community = communities.Find(speaker.CommunityId);

        // The community's rate is public to everyone; no flat needed.
        if (topic == "collection_rate")
            return Done(collectionRate.Answer(speaker, locale));
        if (topic == "how_to_pay")
            return Done(new() { [DialogResults.Outcome] = "how_to_pay", ["how_to_pay"] = howToPay });
        if (speaker.Binding is null)
            return topic == "explain" && community is not null
                ? Done(new()
                {
                    [DialogResults.Outcome] = "explain_general", ["rate"] = Money(community.PropertyFeeRate),
                    ["parking_fee"] = Money(community.ParkingFee),
                })
                // The question waits beneath the binding and is answered the moment the flat is confirmed.
                : Done(new() { [DialogResults.Outcome] = "unbound", [DialogResults.Then] = "bind_unit" });

        var unit = communities.FindUnit(speaker.Binding.UnitId)!;
        // Naming another flat than one's own gets a refusal, never that flat's bills.
        var namedAnother = completion.Values.TryGetValue("mentioned_unit", out var mentioned)
                           && residents.FindUnit(mentioned)?.Id != unit.Id;
        if (namedAnother)
            return Done(new() { [DialogResults.Outcome] = "not_yours", ["unit"] = unit.Label });

        var words = new FeeWords(completion.Texts, locale);
        var unpaid = fees.UnpaidBillsFor(unit.CommunityId, unit.Id);
        var owed = new Dictionary<string, string>
        {
            ["unit"] = unit.Label,
            ["outstanding"] = Money(unpaid.Sum(b => b.Outstanding)),
            ["months"] = unpaid.Select(b => b.Period).Distinct().Count().ToString(CultureInfo.InvariantCulture),
        };
        switch (topic)
        {
            case "arrears":
                if (unpaid.Count == 0)
                    return Done(new() { [DialogResults.Outcome] = "nothing_owed", ["unit"] = unit.Label });
                owed[DialogResults.Outcome] = "owed";
                owed["how_to_pay"] = howToPay;
                owed["lines"] = Lines(unpaid.Select(words.BillLine), words);
                return Done(owed);

            case "history":
                var latest = payments.LatestFor(unit.CommunityId, unit.Id, ListedLines);
                if (latest.Count == 0)
                    return Done(new() { [DialogResults.Outcome] = "no_history", ["unit"] = unit.Label });
                return Done(new()
                {
                    [DialogResults.Outcome] = "history", ["unit"] = unit.Label,
                    ["lines"] = string.Join("\n", latest.Select(p => words.PaymentLine(Day(p), p))),
                });

            case "explain":
                var rate = community?.PropertyFeeRate ?? 0m;
                var parking = unit.HasParkingSpace && community is not null
                    ? words.Say("parking_fee", ("fee", Money(community.ParkingFee)))
                    : "";
                return Done(new()
                {
                    [DialogResults.Outcome] = "explain", ["unit"] = unit.Label,
                    ["area"] = unit.Area.ToString("0.00", CultureInfo.InvariantCulture),
                    ["rate"] = Money(rate), ["fee"] = Money(decimal.Round(unit.Area * rate, 2)), ["parking"] = parking,
                });
        }

        var period = Period.Parse(completion.Values["period"]);
        var month = fees.BillsFor(unit.CommunityId, unit.Id, period);
        if (month.Count == 0)
            return Done(new()
            {
                [DialogResults.Outcome] = "no_bills", ["unit"] = unit.Label, ["month"] = words.Month(period),
            });
        owed["month"] = words.Month(period);
        owed["due"] = Money(month.Sum(b => b.AmountDue));
        owed["paid"] = Money(month.Sum(b => b.AmountPaid));
        if (unpaid.Count > 0) owed[DialogResults.Outcome] = "arrears";
        return Done(owed);
    }

    public static string Money(decimal yuan) => yuan.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Lines(IEnumerable<string> lines, FeeWords words)
    {
        var all = lines.ToList();
        var shown = all.Take(ListedLines).ToList();
        var more = all.Count - ListedLines;
        if (more > 0) shown.Add(words.Say("more", ("count", more)));
        return string.Join("\n", shown);
    }

    private static Task<IReadOnlyDictionary<string, string>> Done(Dictionary<string, string> values) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(values);

    private static string Day(Payment p) =>
        p.PaidAt.InChina().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
