using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Phrases;
using Microsoft.Extensions.Options;
using Linli.Communities;
using Linli.Residents;

namespace Linli.Fees;

/// <summary>What one round of reminders did.</summary>
public sealed record ReminderReport(int Sent, int SkippedRecentlyReminded, int NotReachable, int UnitsInArrears);

/// <summary>
/// Arrears reminders the office sends: a polite message into each bound resident's chat for flats with unpaid bills,
/// at most once per resident per <see cref="FeesOptions.ReminderIntervalDays"/>, however often the office presses the
/// button.
/// </summary>
public sealed class ArrearsReminders(
    IResidentBindingStore bindings,
    ICommunityStore communities,
    IFeeStore fees,
    IOptions<FeesOptions> options,
    TimeProvider time,
    IConversationReferenceStore references,
    IProactiveMessenger messenger,
    CommonPhrases phrases,
    ILogger<ArrearsReminders> logger)
{
    public async Task<ReminderReport> SendAsync(string communityId, string by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var interval = TimeSpan.FromDays(options.Value.ReminderIntervalDays);
        int sent = 0, recent = 0, unreachable = 0;
        var owingUnits = new HashSet<string>();
        foreach (var binding in bindings.InCommunity(communityId))
        {
            var unpaid = fees.UnpaidBillsFor(communityId, binding.UnitId);
            if (unpaid.Count == 0) continue;
            owingUnits.Add(binding.UnitId);
            if (binding.LastArrearsReminderAt is { } last && now - last < interval) { recent++; continue; }
            var (channel, user) = binding.Identity();
            var reference = await references.FindAsync(channel, user, cancellationToken);
            if (reference is null) { unreachable++; continue; }

            var unit = communities.FindUnit(binding.UnitId)!;
            var locale = reference.Locale;
            var text = phrases.ArrearsReminder.Format(locale, ("flat", unit.Label),
                ("amount", FeeMoney(unpaid.Sum(b => b.Outstanding))),
                ("months", unpaid.Select(b => b.Period).Distinct().Count()),
                ("how_to_pay", options.Value.HowToPay.For(locale)));
            await messenger.SendAsync(reference, new Activity { Text = text }, cancellationToken);
            bindings.Save(binding with { LastArrearsReminderAt = now });
            sent++;
        }
        logger.LogInformation(
            "Arrears reminders in {Community} by {By}: {Sent} sent, {Recent} reminded recently, "
            + "{Unreachable} not reachable",
            communityId, by, sent, recent, unreachable);
        return new ReminderReport(sent, recent, unreachable, owingUnits.Count);
    }

    private static string FeeMoney(decimal yuan) => FeeQueryHandler.Money(yuan);
}
