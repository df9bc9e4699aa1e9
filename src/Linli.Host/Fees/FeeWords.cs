using System.Globalization;
using Linli.Bot.Dialogs;
using Linli.Calendar;

namespace Linli.Fees;

/// <summary>
/// The fee dialog's own words (dialogs/fee_query.yaml, <c>texts</c>) in the resident's language: a month, a bill's
/// line, a payment's line.
/// </summary>
internal readonly record struct FeeWords(IReadOnlyDictionary<string, LocalizedText> Texts, string? Locale)
{
    public string Say(string name, params ReadOnlySpan<(string Name, object? Value)> values) =>
        Texts.TryGetValue(name, out var text)
            ? text.Format(Locale, values)
            : throw new InvalidOperationException($"dialogs/fee_query.yaml has no text \"{name}\".");

    /// <summary>A month as the resident says it: 2026年3月, or March 2026.</summary>
    public string Month(Period period) => Say("month",
        ("year", period.Year), ("month", period.Month),
        ("month_name", CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(period.Month)));

    public string BillLine(Bill bill) => Say("bill_line",
        ("month", Month(bill.Period)),
        ("kind", Say(bill.Kind == BillKind.Parking ? "parking" : "property_fee")),
        ("amount", FeeQueryHandler.Money(bill.Outstanding)));

    public string PaymentLine(string day, Payment payment)
    {
        var periods = payment.Lines.Select(l => l.BillId.Split('/')[1]).Distinct().Order().ToList();
        var (first, last) = (Period.Parse(periods[0]), Period.Parse(periods[^1]));
        var months = first == last
            ? Month(first)
            : Say("months", ("first", Month(first)), ("last", Month(last)));
        return Say("payment_line",
            ("day", day), ("amount", FeeQueryHandler.Money(payment.Amount)), ("months", months));
    }
}
