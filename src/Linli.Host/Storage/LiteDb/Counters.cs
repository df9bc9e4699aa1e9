using System.Globalization;

namespace Linli.Storage.LiteDb;

/// <summary>
/// Numbers without gaps (receipts, ledger lines, cases), each kept under its own key in the settings.
/// </summary>
public static class Counters
{
    /// <summary>
    /// The next number under <paramref name="key"/>, starting at 1. Call inside the transaction that uses it.
    /// </summary>
    public static int NextNumber(this LinliDatabase db, string key)
    {
        var last = db.Settings.FindById(key) is { } counter
            ? int.Parse(counter.Value, CultureInfo.InvariantCulture)
            : 0;
        var next = last + 1;
        db.Settings.Upsert(new SettingRecord(key, next.ToString(CultureInfo.InvariantCulture)));
        return next;
    }
}
